package dev.adapterhub.gateway.api;

import dev.adapterhub.gateway.openai.ModelList;
import dev.adapterhub.gateway.resolve.ModelCatalog;
import dev.adapterhub.gateway.resolve.ModelResolver;
import dev.adapterhub.gateway.resolve.ServedModel;
import dev.adapterhub.gateway.security.CurrentCaller;
import dev.adapterhub.gateway.security.GatewayAccess;
import dev.adapterhub.gateway.serving.ErrorMapping;
import dev.adapterhub.registry.client.model.Adapter;
import dev.adapterhub.registry.client.model.BaseModel;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code GET /v1/models}: every servable model id in OpenAI's list format. For each served ACTIVE base model:
 * {@code name@revision} and (for the newest revision) the bare {@code name}; for each adapter with at least one
 * version on it: the bare name and {@code name@alias} per alias ({@code root} = the base model, {@code parent} =
 * the base model for adapters). Versions by number ({@code name@3}) are accepted but not listed.
 */
@Path("/v1/models")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class ModelsResource {

    private final ModelCatalog catalog;
    private final ModelResolver resolver;
    private final GatewayAccess access;
    private final CurrentCaller caller;

    public ModelsResource(ModelCatalog catalog, ModelResolver resolver, GatewayAccess access,
                          CurrentCaller caller) {
        this.catalog = catalog;
        this.resolver = resolver;
        this.access = access;
        this.caller = caller;
    }

    @GET
    public ModelList list() {
        try {
            Set<String> served = resolver.servedBaseIds();
            List<ModelList.Card> cards = new ArrayList<>();
            ModelCatalog.Snapshot catalog = this.catalog.snapshot();
            List<BaseModel> bases = catalog.baseModels();
            for (BaseModel b : bases) {
                if (!"ACTIVE".equals(b.status()) || (served != null && !served.contains(b.id()))) {
                    continue;
                }
                long created = epoch(b.registeredAt());
                boolean newest = bases.stream().noneMatch(o -> o.name().equals(b.name()) && "ACTIVE".equals(o.status())
                        && o.registeredAt() != null && b.registeredAt() != null && o.registeredAt().isAfter(b.registeredAt()));
                if (newest) {
                    cards.add(new ModelList.Card(b.name(), "model", created, "adapterhub", b.ref(), null));
                }
                cards.add(new ModelList.Card(b.ref(), "model", created, "adapterhub", b.ref(), null));
                for (Adapter a : catalog.adaptersByBase().getOrDefault(b.id(), List.of())) {
                    if (a.latestVersion() == null || !access.mayUse(caller.get(), a)) {
                        continue;
                    }
                    long ac = epoch(a.createdAt());
                    String owner = a.team() == null ? "adapterhub" : a.team();
                    cards.add(new ModelList.Card(a.name(), "model", ac, owner, b.ref(), b.ref()));
                    if (a.aliases() != null) {
                        a.aliases().keySet().stream().sorted().forEach(alias -> cards.add(
                                new ModelList.Card(a.name() + "@" + alias, "model", ac, owner, b.ref(), b.ref())));
                    }
                }
            }
            return new ModelList("list", cards);
        } catch (RuntimeException e) {
            throw ErrorMapping.map(e);
        }
    }

    /** OpenAI's retrieve-model: any name the completions endpoints accept. */
    @GET
    @Path("/{model}")
    public ModelList.Card get(@PathParam("model") String model) {
        try {
            ServedModel m = resolver.resolve(model);
            access.requireModel(caller.get(), m, model);
            if (m.isAdapter()) {
                return new ModelList.Card(model, "model", 0, "adapterhub", m.base().ref(), m.base().ref());
            }
            return new ModelList.Card(model, "model", epoch(m.base().registeredAt()), "adapterhub", m.base().ref(),
                    null);
        } catch (RuntimeException e) {
            throw ErrorMapping.map(e);
        }
    }

    private static long epoch(Instant t) {
        return t == null ? 0 : t.getEpochSecond();
    }
}
