package dev.adapterhub.registry.job.dto;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

import java.util.List;

/** The multipart body with which a worker hands in the trained adapter. */
@Schema(name = "CompleteTrainingJob", description = "multipart/form-data: the PEFT files (part filenames "
        + "adapter_config.json and adapter_model.safetensors), the transfer kit's discriminator in the same two "
        + "file names as parts named kitFile, the lease token, and optional fields.")
public class CompleteForm {

    /** Part name of the transfer kit's discriminator files; every other file part is the adapter's. */
    public static final String KIT_FILE_PART = "kitFile";

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
    @Schema(description = "JSON array of {prompt, completion} from the dataset, kept for later transfer; none when "
            + "the job opted out of the transfer kit")
    public String seedExamples;

    @RestForm
    @Schema(description = "How many examples the adapter was trained on (recorded in the version's lineage)")
    public String trainingExamples;

    @RestForm
    @Schema(description = "TRANSFER jobs only, required there: COPY, TRANS_LORA or TRANS_LORA_UNFILTERED")
    public String transferMethod;

    @RestForm
    @Schema(description = "JSON TransferKitInput describing the discriminator sent as kitFile parts, or why there is "
            + "none; absent when the job opted out")
    public String transferKit;
}
