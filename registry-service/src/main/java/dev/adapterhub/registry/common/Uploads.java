package dev.adapterhub.registry.common;

import dev.adapterhub.registry.error.InvalidRequestException;
import dev.adapterhub.registry.error.Messages;
import org.jboss.resteasy.reactive.multipart.FileUpload;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** Turns multipart file parts into {file name: local path}; the part's filename is the artifact's file name. */
public final class Uploads {

    private Uploads() {
    }

    public static Map<String, Path> byFileName(List<FileUpload> uploads) {
        return byFileName(uploads, upload -> true);
    }

    /** The files of the parts named {@code partName}, by file name. */
    public static Map<String, Path> inPart(List<FileUpload> uploads, String partName) {
        return byFileName(uploads, upload -> partName.equals(upload.name()));
    }

    /** The files of every part not named {@code partName}, by file name. */
    public static Map<String, Path> outsidePart(List<FileUpload> uploads, String partName) {
        return byFileName(uploads, upload -> !partName.equals(upload.name()));
    }

    /** A form field holding a whole number of at least 1, or null when it is absent or blank. */
    public static Integer positiveCount(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            int parsed = Integer.parseInt(value.strip());
            if (parsed >= 1) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // falls through to the problem below
        }
        throw new InvalidRequestException(field + " must be a whole number of at least 1");
    }

    /**
     * A multipart file name as sent, which must be a plain file name: a name with a folder in it ({@code /},
     * {@code \\}), {@code .} or {@code ..}, a control character or more than 255 characters is refused rather than
     * shortened, so that what is stored is what the client named.
     */
    public static String fileName(String sent) {
        String name = sent == null ? "" : sent.strip();
        if (name.isEmpty()) {
            throw new InvalidRequestException("every file part needs a file name");
        }
        if (name.indexOf('/') >= 0 || name.indexOf('\\') >= 0 || name.equals(".") || name.equals("..")
                || name.length() > 255 || name.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidRequestException("file name " + Messages.abbreviate(name) + " is not a plain file name "
                    + "(no folders, '.' or '..', control characters, at most 255 characters)");
        }
        return name;
    }

    private static Map<String, Path> byFileName(List<FileUpload> uploads, Predicate<FileUpload> selected) {
        Map<String, Path> files = new LinkedHashMap<>();
        if (uploads == null) {
            return files;
        }
        for (FileUpload upload : uploads) {
            if (!selected.test(upload)) {
                continue;
            }
            String name = fileName(upload.fileName() == null || upload.fileName().isBlank() ? upload.name()
                    : upload.fileName());
            if (files.put(name, upload.uploadedFile()) != null) {
                throw new InvalidRequestException("file " + Messages.abbreviate(name) + " was sent more than once");
            }
        }
        return files;
    }
}
