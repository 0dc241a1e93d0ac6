package dev.adapterhub.registry.job.dto;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

import java.util.List;

/** The multipart body with which a worker hands in the trained adapter. */
@Schema(name = "CompleteTrainingJob", description = "multipart/form-data: the PEFT files (part filenames "
        + "adapter_config.json and adapter_model.safetensors), the lease token, and optional JSON fields.")
public class CompleteForm {

    @RestForm(FileUpload.ALL)
    @Schema(name = "file", required = true, type = SchemaType.ARRAY,
            description = "adapter_config.json and adapter_model.safetensors")
    public List<FileUpload> files;

    @RestForm
    @Schema(required = true)
    public String leaseToken;

    @RestForm
    @Schema(description = "JSON array of {name, value, split?, step?}: the final evaluation")
    public String metrics;

    @RestForm
    @Schema(description = "JSON array of {prompt, completion} from the dataset, kept for later transfer")
    public String seedExamples;
}
