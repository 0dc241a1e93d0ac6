package dev.adapterhub.registry.common;

import dev.adapterhub.registry.error.InvalidRequestException;
import dev.adapterhub.registry.error.Messages;
import org.jboss.resteasy.reactive.multipart.FileUpload;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns multipart file parts into {file name: local path}; the part's filename is the artifact's file name. */
public final class Uploads {

    private Uploads() {
    }

    public static Map<String, Path> byFileName(List<FileUpload> uploads) {
        Map<String, Path> files = new LinkedHashMap<>();
        if (uploads == null) {
            return files;
        }
        for (FileUpload upload : uploads) {
            String name = upload.fileName() == null || upload.fileName().isBlank() ? upload.name() : upload.fileName();
            // Browsers and some clients send full paths; only the last component names the file.
            name = name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1).strip();
            if (name.isEmpty() || name.equals(".") || name.equals("..") || name.length() > 255) {
                throw new InvalidRequestException("every file part needs a file name");
            }
            if (files.put(name, upload.uploadedFile()) != null) {
                throw new InvalidRequestException("file " + Messages.abbreviate(name) + " was sent more than once");
            }
        }
        return files;
    }
}
