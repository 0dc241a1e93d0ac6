package dev.adapterhub.engine.train;

import dev.adapterhub.engine.model.LlamaModel;

/**
 * What a method may use while preparing: the model, a seed for its random choices, the learning rate of the
 * job, and gradient estimation over the job's own loss and data.
 */
public record MethodContext(LlamaModel model, long seed, double learningRate, GradientEstimator gradients) {
}
