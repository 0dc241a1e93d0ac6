package dev.adapterhub.engine.train;

import java.util.ArrayList;
import java.util.List;

/** Turns text examples into token ids; {@link TokenizerEncoder} is the one backed by a model's tokenizer. */
@FunctionalInterface
public interface ExampleEncoder {

    TokenizedExample encode(PromptCompletion example);

    default List<TokenizedExample> encodeAll(List<PromptCompletion> examples) {
        List<TokenizedExample> out = new ArrayList<>(examples.size());
        for (PromptCompletion e : examples) {
            out.add(encode(e));
        }
        return out;
    }
}
