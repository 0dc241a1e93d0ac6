package dev.adapterhub.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.core.Embedding;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A Llama-family decoder on DJL NDArrays with HF weight names. Owns its weights in {@link #manager()};
 * {@link #close()} frees them (and every adapter attached to its linears).
 *
 * <p>Loading and saving HF checkpoint directories: {@code dev.adapterhub.engine.checkpoint.CheckpointIO}.
 */
public final class LlamaModel implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(LlamaModel.class.getName());

    public static final String EMBED = "model.embed_tokens.weight";
    public static final String NORM = "model.norm.weight";
    public static final String LM_HEAD = "lm_head.weight";
    /** Suffixes of the seven projections of a layer, in HF order. */
    public static final List<String> PROJECTIONS = List.of(
            "self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj", "self_attn.o_proj",
            "mlp.gate_proj", "mlp.up_proj", "mlp.down_proj");

    /** Attention score added at masked positions. */
    public static final float MASKED = -1e9f;

    private final LlamaDims dims;
    private final NDManager manager;
    private final Map<String, NDArray> parameters;
    private final Map<String, AdaptableLinear> linears;
    private final List<DecoderLayer> layers;
    private final AdaptableLinear lmHead;
    private final NDArray embed;
    private final NDArray norm;
    private final NDArray invFreq;
    /** Compiled at the first request for it; {@code compileFailure} remembers why it could not be. */
    private CompiledStep compiledStep;
    private RuntimeException compileFailure;
    private SparseScatter sparseScatter;
    private boolean sparseScatterUnavailable;

    private LlamaModel(LlamaDims dims, NDManager manager, Map<String, NDArray> parameters) {
        this.dims = dims;
        this.manager = manager;
        this.parameters = Collections.unmodifiableMap(parameters);
        this.embed = require(EMBED, dims.vocabSize(), dims.hiddenSize());
        this.norm = require(NORM, dims.hiddenSize());
        Map<String, AdaptableLinear> lin = new LinkedHashMap<>();
        List<DecoderLayer> ls = new ArrayList<>();
        for (int i = 0; i < dims.numLayers(); i++) {
            String p = "model.layers." + i + ".";
            AdaptableLinear[] proj = new AdaptableLinear[PROJECTIONS.size()];
            long[][] shapes = {
                {dims.qOut(), dims.hiddenSize()}, {dims.kvOut(), dims.hiddenSize()}, {dims.kvOut(), dims.hiddenSize()},
                {dims.hiddenSize(), dims.qOut()}, {dims.intermediateSize(), dims.hiddenSize()},
                {dims.intermediateSize(), dims.hiddenSize()}, {dims.hiddenSize(), dims.intermediateSize()}};
            for (int j = 0; j < proj.length; j++) {
                String name = p + PROJECTIONS.get(j);
                proj[j] = new AdaptableLinear(name, require(name + ".weight", shapes[j]));
                lin.put(name, proj[j]);
            }
            ls.add(new DecoderLayer(i, dims,
                    require(p + "input_layernorm.weight", dims.hiddenSize()),
                    require(p + "post_attention_layernorm.weight", dims.hiddenSize()),
                    proj[0], proj[1], proj[2], proj[3], proj[4], proj[5], proj[6]));
        }
        NDArray head = dims.tieWordEmbeddings() ? embed : require(LM_HEAD, dims.vocabSize(), dims.hiddenSize());
        this.lmHead = new AdaptableLinear("lm_head", head);
        lin.put("lm_head", lmHead);
        this.linears = Collections.unmodifiableMap(lin);
        this.layers = List.copyOf(ls);
        float[] inv = new float[dims.headDim() / 2];
        for (int i = 0; i < inv.length; i++) {
            inv[i] = (float) (1.0 / Math.pow(dims.ropeTheta(), (2.0 * i) / dims.headDim()));
        }
        this.invFreq = manager.create(inv);
    }

    /**
     * Builds a model from named weights (HF names, shapes [out, in]); takes ownership of the arrays, which must
     * already be in {@code manager}. With tied embeddings {@code lm_head.weight} is ignored when present.
     */
    public static LlamaModel fromWeights(LlamaDims dims, NDManager manager, Map<String, NDArray> weights) {
        Map<String, NDArray> params = new LinkedHashMap<>();
        params.put(EMBED, weights.get(EMBED));
        for (int i = 0; i < dims.numLayers(); i++) {
            String p = "model.layers." + i + ".";
            for (String proj : PROJECTIONS) {
                params.put(p + proj + ".weight", weights.get(p + proj + ".weight"));
            }
            params.put(p + "input_layernorm.weight", weights.get(p + "input_layernorm.weight"));
            params.put(p + "post_attention_layernorm.weight", weights.get(p + "post_attention_layernorm.weight"));
        }
        params.put(NORM, weights.get(NORM));
        if (!dims.tieWordEmbeddings()) {
            params.put(LM_HEAD, weights.get(LM_HEAD));
        } else if (weights.get(LM_HEAD) != null && weights.get(LM_HEAD) != weights.get(EMBED)) {
            weights.get(LM_HEAD).close();
        }
        try {
            return new LlamaModel(dims, manager, params);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    private NDArray require(String name, long... shape) {
        NDArray a = parameters.get(name);
        if (a == null) {
            throw new IllegalArgumentException("checkpoint has no tensor '" + name + "'");
        }
        if (!a.getShape().equals(new Shape(shape))) {
            throw new IllegalArgumentException("tensor '" + name + "' has shape " + a.getShape() + ", expected "
                    + new Shape(shape));
        }
        return a;
    }

    public LlamaDims dims() {
        return dims;
    }

    /** Owns all weights. */
    public NDManager manager() {
        return manager;
    }

    /** Weight dtype (F32 or F16). */
    public DataType dataType() {
        return embed.getDataType();
    }

    /** HF name -> live weight, in checkpoint order (no {@code lm_head.weight} entry when tied). */
    public Map<String, NDArray> parameters() {
        return parameters;
    }

    /** HF module name (without ".weight") -> linear, the seven projections of every layer then {@code lm_head}. */
    public Map<String, AdaptableLinear> linears() {
        return linears;
    }

    /** The linear with this HF module name. */
    public AdaptableLinear linear(String moduleName) {
        AdaptableLinear l = linears.get(moduleName);
        if (l == null) {
            throw new IllegalArgumentException("model has no linear '" + moduleName + "'");
        }
        return l;
    }

    /** Rotary inverse frequencies, F32 [headDim / 2], on the model's device (shared with {@link CompiledStep}). */
    NDArray inverseFrequencies() {
        return invFreq;
    }

    public List<DecoderLayer> layers() {
        return layers;
    }

    /** Full causal forward without cache: int64 ids [B, T] -> F32 logits [B, T, V] in the ids' manager. */
    public NDArray forward(NDArray inputIds) {
        return forward(ForwardInput.builder(inputIds).build());
    }

    /** See {@link ForwardInput}. Results (and intermediates) live in the manager of {@code in.inputIds()}. */
    public NDArray forward(ForwardInput in) {
        NDArray ids = in.inputIds();
        if (ids.getShape().dimension() != 2) {
            throw new IllegalArgumentException("input ids must be [B, T], got " + ids.getShape());
        }
        NDManager fm = ids.getManager();
        long b = ids.getShape().get(0);
        long t = ids.getShape().get(1);
        KvCache cache = in.cache();
        long past = cache == null ? 0 : cache.length();
        long total = past + t;
        if (ids.getDataType() != DataType.INT64) {
            ids = ids.toType(DataType.INT64, false);
        }
        // Inputs built on the CPU work with a model on a GPU: move them (the copies stay in the caller's manager).
        ids = onDevice(ids);

        NDArray positions = in.positions() == null ? null : onDevice(in.positions());
        if (positions == null) {
            positions = fm.arange(past, total, 1, DataType.INT64, ids.getDevice()).reshape(1, t).broadcast(b, t);
        }
        NDArray keyMask = in.attentionMask() == null ? null : onDevice(in.attentionMask());
        if (keyMask == null) {
            NDArray fresh = fm.ones(new Shape(b, t), DataType.INT64, ids.getDevice());
            keyMask = cache != null && cache.mask() != null
                    ? NDArrays.concat(new NDList(cache.mask(), fresh), 1) : fresh;
            // concat lands in the cache's manager (first operand); per-step work belongs to the caller's
            keyMask.attach(fm);
        }
        if (keyMask.getShape().get(1) != total) {
            throw new IllegalArgumentException("attention mask covers " + keyMask.getShape().get(1)
                    + " keys, expected " + total);
        }
        NDArray qIdx = fm.arange(past, total, 1, DataType.INT64, ids.getDevice()).reshape(t, 1);
        NDArray kIdx = fm.arange(0, total, 1, DataType.INT64, ids.getDevice()).reshape(1, total);
        NDArray causal = kIdx.lte(qIdx).reshape(1, 1, 1, t, total);
        NDArray valid = keyMask.toType(DataType.BOOLEAN, false).reshape(b, 1, 1, 1, total);
        NDArray allowed = causal.logicalAnd(valid).toType(DataType.FLOAT32, false);
        // Additive bias: 0 where allowed, MASKED elsewhere; exp underflows to exactly 0, and an all-masked
        // (padding) query row stays finite instead of NaN.
        NDArray mask = allowed.sub(Scalars.like(allowed, 1.0)).mul(Scalars.like(allowed, -MASKED));

        DataType type = in.computeType() == null ? dataType() : in.computeType();
        NDArray freqs = positions.toType(DataType.FLOAT32, false).expandDims(-1).mul(invFreq);
        Rotary rotary = Rotary.of(freqs, type, dims.headDim());

        ForwardContext ctx = in.rowAdapters() == null ? ForwardContext.none()
                : ForwardContext.perRow(in.rowAdapters(), fm, embed.getDevice());
        if (in.rowDelta() != null) {
            ctx = ctx.withRowDelta(in.rowDelta());
        }
        if (in.rowAdapters() != null && in.rowAdapters().length != b) {
            throw new IllegalArgumentException("rowAdapters has " + in.rowAdapters().length + " entries for "
                    + b + " rows");
        }
        NDArray h = Embedding.embedding(ids, embed, SparseFormat.DENSE).singletonOrThrow();
        if (h.getDataType() != type) {
            h = h.toType(type, false); // no gradient is lost: the embedding is frozen where this happens
        }
        for (DecoderLayer layer : layers) {
            h = layer.forward(h, rotary, mask, cache, ctx);
        }
        if (cache != null) {
            cache.commit(keyMask, total);
        }
        if (in.lastTokenOnly()) {
            h = h.get(new NDIndex(":, -1:, :"));
        }
        h = RmsNorm.apply(h, norm, dims.rmsNormEps());
        NDArray logits = lmHead.forward(h, ctx);
        return logits.getDataType() == DataType.FLOAT32 ? logits : logits.toType(DataType.FLOAT32, false);
    }

    /** Names of all adapters attached to any linear, in first-seen order. */
    public Set<String> adapterNames() {
        Set<String> names = new LinkedHashSet<>();
        for (AdaptableLinear l : linears.values()) {
            names.addAll(l.adapters().keySet());
        }
        return names;
    }

    /**
     * Detaches and closes adapter {@code name} from every linear (it must not be merged anywhere); returns the
     * number of linears it was attached to.
     */
    public int removeAdapter(String name) {
        for (AdaptableLinear l : linears.values()) {
            if (l.mergedAdapters().contains(name)) {
                throw new IllegalStateException("adapter '" + name + "' is merged into " + l.name() + "; unmerge it first");
            }
        }
        int n = 0;
        for (AdaptableLinear l : linears.values()) {
            LinearAdapter a = l.detach(name);
            if (a != null) {
                a.close();
                n++;
            }
        }
        return n;
    }

    /** Makes exactly {@code names} active on every linear (see {@link AdaptableLinear#setActive}). */
    public void setActiveAdapters(Set<String> names) {
        for (AdaptableLinear l : linears.values()) {
            l.setActive(names);
        }
    }

    private NDArray onDevice(NDArray a) {
        return a.getDevice().equals(embed.getDevice()) ? a : a.toDevice(embed.getDevice(), false);
    }

    /**
     * This model's compiled serving step ({@link CompiledStep}, ADR 16: prefill and decode), compiled at the first
     * call and freed with the model; empty when it does not compile on this libtorch (logged once: callers run the
     * eager forward).
     */
    public synchronized Optional<CompiledStep> compiledStep() {
        if (compiledStep == null && compileFailure == null) {
            try {
                compiledStep = CompiledStep.compile(this);
            } catch (RuntimeException e) {
                compileFailure = e;
                LOG.log(Level.WARNING, "serving step not compiled; running the eager forward", e);
            }
        }
        return Optional.ofNullable(compiledStep);
    }

    /**
     * Stops offering the compiled step after it failed at run time (e.g. a fuser the device's libtorch
     * cannot build): callers then decode eagerly. A failed step wrote at most the new position into the cache,
     * which the eager forward writes again.
     */
    public synchronized void compiledStepFailed(RuntimeException cause) {
        if (compiledStep != null) {
            LOG.log(Level.WARNING, "compiled step failed; running the eager forward from now on", cause);
        }
        compiledStep = null; // its arrays go with the model's manager; a caller may still hold it
        compileFailure = cause;
    }

    /**
     * Fuses resident SHiRA values into several linears, as {@link AdaptableLinear#fuseSparseResident} would one by
     * one, with every weight written in one native call ({@link SparseScatter}). Checked first: either every module
     * is fused or, on a bad argument, none.
     */
    public void fuseSparseResident(String adapterName, List<ResidentSparse> modules) {
        List<AdaptableLinear> targets = new ArrayList<>(modules.size());
        for (ResidentSparse m : modules) {
            AdaptableLinear l = linear(m.module());
            l.checkResident(adapterName, m.flatIndices(), m.fusedValues(), m.originals());
            targets.add(l);
        }
        writeFlat(targets, modules.stream().map(ResidentSparse::flatIndices).toList(),
                modules.stream().map(ResidentSparse::fusedValues).toList());
        for (int i = 0; i < modules.size(); i++) {
            targets.get(i).recordResident(adapterName, modules.get(i).flatIndices(), modules.get(i).originals());
        }
    }

    /**
     * Restores the linears {@code modules}, fused by {@link #fuseSparseResident(String, List)} or one by one,
     * bit-exactly, with every weight written in one native call.
     */
    public void unfuseSparse(String adapterName, Collection<String> modules) {
        List<AdaptableLinear> targets = new ArrayList<>(modules.size());
        List<NDArray> indices = new ArrayList<>(modules.size());
        List<NDArray> originals = new ArrayList<>(modules.size());
        for (String module : modules) {
            AdaptableLinear l = linear(module);
            ShiraFusion f = l.fusion(adapterName);
            targets.add(l);
            indices.add(f.flatIndices());
            originals.add(f.originals());
        }
        writeFlat(targets, indices, originals);
        targets.forEach(l -> l.forget(adapterName));
    }

    private void writeFlat(List<AdaptableLinear> targets, List<NDArray> indices, List<NDArray> values) {
        SparseScatter scatter = sparseScatter();
        if (scatter != null) {
            try {
                scatter.scatter(targets.stream().map(AdaptableLinear::weight).toList(), indices, values);
                return;
            } catch (RuntimeException e) {
                // a scatter writes the same values whether it runs once or twice: the DJL path redoes all of it
                LOG.log(Level.WARNING, "sparse scatter script failed; writing each weight through DJL from now on",
                        e);
                synchronized (this) {
                    sparseScatterUnavailable = true;
                }
            }
        }
        for (int i = 0; i < targets.size(); i++) {
            targets.get(i).writeFlat(indices.get(i), values.get(i));
        }
    }

    /** Whether SHiRA modules are written by the one-call scatter (false where it did not compile or failed). */
    boolean scattersInOneCall() {
        return sparseScatter() != null;
    }

    /** The one-call scatter, compiled at first use; null where it does not compile or failed (logged once). */
    private synchronized SparseScatter sparseScatter() {
        if (sparseScatter == null && !sparseScatterUnavailable) {
            try {
                sparseScatter = SparseScatter.compile(manager);
            } catch (RuntimeException e) {
                sparseScatterUnavailable = true;
                LOG.log(Level.WARNING, "sparse scatter not compiled; writing each weight through DJL", e);
            }
        }
        return sparseScatterUnavailable ? null : sparseScatter;
    }

    /** Frees the weights and all attached adapters. */
    @Override
    public void close() {
        synchronized (this) {
            if (sparseScatter != null) {
                sparseScatter.close();
            }
        }
        for (AdaptableLinear l : linears.values()) {
            for (LinearAdapter a : l.adapters().values()) {
                a.close();
            }
        }
        manager.close();
    }
}
