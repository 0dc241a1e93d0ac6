package dev.adapterhub.registry.client.model;

/**
 * Optional settings of a TRANSFER (schema {@code TransferJobRequest}); null fields take the registry's defaults.
 *
 * @param goal       synthetic examples to distil on (default: the source's training-set size)
 * @param copyFirst  try the copy rung first when the shapes match (default true)
 * @param gateMargin how far below the source the result may score and still pass the gate
 */
public record TransferOptions(Integer goal, Boolean copyFirst, Double gateMargin) {

    /** The registry's defaults for everything. */
    public static final TransferOptions DEFAULTS = new TransferOptions(null, null, null);
}
