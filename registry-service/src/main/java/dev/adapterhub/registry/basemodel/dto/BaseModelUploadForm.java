package dev.adapterhub.registry.basemodel.dto;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

import java.util.List;

/** The multipart body that registers an uploaded checkpoint. */
@Schema(name = "BaseModelUpload", description = "multipart/form-data. Every file part's filename is the HF file name: "
        + "config.json, tokenizer.json, model.safetensors, or model.safetensors.index.json plus its shards; other "
        + "*.json/*.txt side files are stored too. Pickle files are rejected.")
public class BaseModelUploadForm {

    @RestForm
    @Schema(required = true, examples = "tinyllama")
    public String name;

    @RestForm
    @Schema(required = true, examples = "v1.0")
    public String revision;

    @RestForm(FileUpload.ALL)
    @Schema(name = "file", required = true, type = SchemaType.ARRAY, description = "The checkpoint files")
    public List<FileUpload> files;
}
