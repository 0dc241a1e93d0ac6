package dev.adapterhub.registry.dataset.dto;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

/** The multipart body of a dataset upload. */
@Schema(name = "DatasetUpload", description = "multipart/form-data: one file part named file, a JSONL file whose "
        + "every non-blank line is {\"prompt\": string, \"completion\": string}.")
public class DatasetUploadForm {

    @RestForm("file")
    @Schema(required = true, type = SchemaType.STRING, format = "binary", description = "The JSONL file")
    public FileUpload file;

    @RestForm
    @Schema(description = "The team that keeps it (the caller must be one of its writers); defaults to the caller's "
            + "only team. The same bytes uploaded by another team are stored once and held by both")
    public String team;
}
