package dev.adapterhub.registry.version.dto;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

import java.util.List;

/** The multipart body of a version upload. */
@Schema(name = "VersionUpload", description = "multipart/form-data: two file parts whose filenames are "
        + "adapter_config.json and adapter_model.safetensors (HF PEFT format), plus optional lineage fields.")
public class VersionUploadForm {

    @RestForm(FileUpload.ALL)
    @Schema(name = "file", required = true, type = SchemaType.ARRAY,
            description = "adapter_config.json and adapter_model.safetensors; the part's filename is the file name")
    public List<FileUpload> files;

    @RestForm
    @Schema(description = "Version this one continues from: a number, alias, or reference of the same adapter")
    public String parentVersion;

    @RestForm
    @Schema(description = "Training job that produced the version (UUID)")
    public String trainingJobId;

    @RestForm
    @Schema(description = "Digest of the training data, <algorithm>:<hex>", examples = "sha256:9f86d081884c7d65")
    public String datasetDigest;

    @RestForm
    @Schema(description = "Source version of a Trans-LoRA transfer: id or name@version")
    public String transferredFromVersion;

    @RestForm
    @Schema(description = "How many examples trained the version (a transfer synthesises as many)",
            examples = "800")
    public String trainingExamples;
}
