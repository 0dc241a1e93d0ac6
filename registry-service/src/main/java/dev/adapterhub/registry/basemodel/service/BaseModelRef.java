package dev.adapterhub.registry.basemodel.service;

import dev.adapterhub.registry.basemodel.entity.BaseModel;
import dev.adapterhub.registry.basemodel.entity.BaseModelStatus;

import java.util.UUID;

/**
 * What other features need to know about a base model revision; {@link BaseModelService} hands it out instead of
 * the entity. Retired revisions accept no new adapters, versions or training jobs.
 */
public record BaseModelRef(UUID id, String name, String revision, boolean retired) {

    static BaseModelRef of(BaseModel model) {
        return new BaseModelRef(model.id, model.name, model.revision, model.status == BaseModelStatus.RETIRED);
    }

    /** {@code name@revision}, how clients name this exact revision. */
    public String reference() {
        return name + "@" + revision;
    }
}
