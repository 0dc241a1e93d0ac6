package dev.adapterhub.reliability.faults;

import com.fasterxml.jackson.databind.JsonNode;
import dev.adapterhub.engine.testkit.RandomAdapters;
import dev.adapterhub.engine.testkit.TinyLlamaGenerator;
import dev.adapterhub.engine.testkit.TinyLlamaSpec;
import dev.adapterhub.formats.hf.LinearModules;
import dev.adapterhub.formats.hf.LlamaConfig;
import dev.adapterhub.registry.client.model.AdapterVersion;
import dev.adapterhub.registry.client.model.StoredFile;
import dev.adapterhub.reliability.support.Figures;
import dev.adapterhub.reliability.support.Seed;
import dev.adapterhub.testsupport.RegistryStack;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The registry killed with SIGKILL in the middle of uploads, {@value #KILLS} times (issue 13): half of them a base
 * model of over 200 MB, half an adapter version of some 20 MB. After each restart the unfinished upload has left
 * no metadata (or, when the kill came after its commit, a complete version whose files match); at the end the
 * staging area and the registry's local upload spool have been swept, and what was stored before the kills is
 * still there and downloads with the same digests. Figures go to {@code target/reliability/registry-kills.json}.
 */
@Tag("faults")
class RegistryKillsST {

    private static final int KILLS = Integer.getInteger("faults.registry-kills", 10);

    @Test
    void uploadsCutByACrashLeaveNothingBehindAndEarlierDataIntact() throws Exception {
        Path dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "registry-kills");
        Random random = new Random(Long.getLong("faults.seed", 17));
        Map<String, String> settings = Map.of("ADAPTERHUB_STORAGE_SWEEP_INTERVAL", "PT2S",
                "ADAPTERHUB_STORAGE_STAGING_MAX_AGE", "PT1S", "QUARKUS_HTTP_LIMITS_MAX_BODY_SIZE", "1G");
        try (RegistryStack stack = RegistryStack.start(settings)) {
            Seed seed = Seed.start(stack, dir);
            seed.adapterWithVersion("kept");
            Map<String, String> kept = digests(seed, "kept", 1, dir.resolve("kept-before"));

            Path big = TinyLlamaGenerator.generate(TinyLlamaSpec.tiny().withSeed(5)
                    .withSize(8, 768, 2048, 8, 4, 259), dir.resolve("big"));
            long bigBytes = sizeOf(big);
            assertTrue(bigBytes > 200_000_000L, "the base model is over 200 MB: " + bigBytes);
            List<Path> bigFiles = files(big);
            Path adapterFiles = RandomAdapters.lora(LlamaConfig.read(big), dir.resolve("big-lora"),
                    LinearModules.LLAMA_PROJECTIONS, 64, 64, 3, "big");
            seed.admin().upload("/base-models", Map.of("name", "big", "revision", "v0"), "file", bigFiles,
                    sent -> { });
            seed.team().sendJson("POST", "/adapters", Map.of("name", "cut", "team", Seed.TEAM,
                    "baseModel", "big@v0", "method", "LORA"));

            List<Map<String, Object>> kills = new ArrayList<>();
            int leftRows = 0;
            int committedBeforeKill = 0;
            for (int k = 0; k < KILLS; k++) {
                boolean baseModel = k % 2 == 0;
                List<Path> upload = baseModel ? bigFiles : files(adapterFiles);
                long total = upload.stream().mapToLong(RegistryKillsST::size).sum();
                // a point while the body is on its way, or (one in three) after it arrived: mid-validation,
                // mid-staging or mid-commit
                double fraction = random.nextInt(3) == 0 ? 1.0 : 0.05 + 0.9 * random.nextDouble();
                long afterArrival = random.nextInt(2000);
                AtomicLong sent = new AtomicLong();
                int versionsBefore = versions(seed, "cut");
                String revision = "r" + k;
                CompletableFuture<JsonNode> call = CompletableFuture.supplyAsync(() -> baseModel
                        ? seed.admin().upload("/base-models", Map.of("name", "big", "revision", revision), "file",
                        upload, sent::set)
                        : seed.team().upload("/adapters/cut/versions", Map.of(), "file", upload, sent::set));
                await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(5))
                        .until(() -> sent.get() >= fraction * total || call.isDone());
                if (fraction == 1.0) {
                    Thread.sleep(afterArrival);
                }
                stack.killRegistry();
                boolean answered = call.handle((ok, failed) -> failed == null).get();
                long startedRestart = System.nanoTime();
                stack.restartRegistry();
                Map<String, Object> kill = new LinkedHashMap<>();
                kill.put("kill", k + 1);
                kill.put("upload", baseModel ? "base model" : "adapter version");
                kill.put("bytes", total);
                kill.put("sentWhenKilled", sent.get());
                kill.put("msAfterTheBodyArrived", fraction == 1.0 ? afterArrival : null);
                kill.put("clientGotAnAnswer", answered);
                kill.put("restartSeconds", Math.round((System.nanoTime() - startedRestart) / 1e8) / 10.0);
                boolean exists = baseModel ? seed.exists("/base-models/big@" + revision)
                        : versions(seed, "cut") > versionsBefore;
                if (exists) {
                    // the kill came after the commit: what is stored must be whole
                    committedBeforeKill++;
                    boolean whole = baseModel ? complete(seed, "big@" + revision)
                            : !digests(seed, "cut", versions(seed, "cut"), dir.resolve("cut-" + k)).isEmpty();
                    leftRows += whole ? 0 : 1;
                }
                kill.put("stored", exists);
                kills.add(kill);
                System.out.println("[registry-kills] " + kill);
            }
            Path staging = stack.dataDir().resolve("s3").resolve("adapterhub").resolve("staging");
            Path spool = stack.dataDir().resolve("uploads");
            long spooledLeft = count(spool);
            await("staging and the upload spool swept").atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofSeconds(1)).until(() -> count(staging) == 0 && count(spool) == 0);
            Map<String, String> keptAfter = digests(seed, "kept", 1, dir.resolve("kept-after"));
            Figures figures = new Figures("registry-kills")
                    .put("kills", KILLS)
                    .put("baseModelBytes", bigBytes)
                    .put("adapterVersionBytes", files(adapterFiles).stream().mapToLong(RegistryKillsST::size).sum())
                    .put("uploadsCommittedBeforeTheKill", committedBeforeKill)
                    .put("incompleteRowsLeft", leftRows)
                    .put("stagingObjectsLeft", count(staging))
                    .put("spooledUploadFilesFoundAfterTheKills", spooledLeft)
                    .put("spooledUploadFilesLeft", count(spool))
                    .put("earlierDataIntact", kept.equals(keptAfter))
                    .put("killPoints", kills);
            figures.write();
            assertEquals(0, leftRows, "no metadata of an unfinished upload");
            assertEquals(kept, keptAfter, "the version stored before the kills downloads with the same digests");
        }
    }

    /** SHA-256 of each file of version {@code n}, downloaded (the client checks each against the registry's). */
    private static Map<String, String> digests(Seed seed, String adapter, int n, Path into) throws IOException {
        Files.createDirectories(into);
        Map<String, String> digests = new LinkedHashMap<>();
        AdapterVersion version = seed.team().findVersion(adapter, String.valueOf(n)).orElseThrow();
        for (StoredFile file : version.files()) {
            digests.put(file.name(), seed.team().downloadVersionFile(adapter, n, file, into.resolve(file.name())));
        }
        return digests;
    }

    private static boolean complete(Seed seed, String ref) {
        JsonNode base = seed.admin().getJson("/base-models/" + ref);
        return base.path("files").size() >= 3;
    }

    private static int versions(Seed seed, String adapter) {
        return seed.team().getJson("/adapters/" + adapter + "/versions").path("total").asInt();
    }

    private static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> listing = Files.list(dir)) {
            return listing.filter(Files::isRegularFile).sorted().toList();
        }
    }

    private static long sizeOf(Path dir) throws IOException {
        return files(dir).stream().mapToLong(RegistryKillsST::size).sum();
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static long count(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).count();
        }
    }
}
