package dev.adapterhub.engine.tools.bench;

import java.awt.Color;
import java.awt.Graphics2D;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/** The transfer benchmark's table, target checks and bar chart, from its runs. */
final class TransferReport {

    private static final Color[] COLORS = {new Color(127, 127, 127), new Color(200, 200, 200), new Color(31, 119, 180),
        new Color(255, 127, 14), new Color(44, 160, 44), new Color(214, 39, 40), new Color(148, 103, 189)};

    private TransferReport() {
    }

    /** Mean exact match per task (rows) and column: source, target base, then each variant. */
    static Map<String, Map<String, Double>> means(List<TransferBenchmark.Run> runs, List<String> variants) {
        Map<String, Map<String, Double>> out = new LinkedHashMap<>();
        for (String task : runs.stream().map(TransferBenchmark.Run::task).distinct().toList()) {
            List<TransferBenchmark.Run> rs = runs.stream().filter(r -> r.task().equals(task)).toList();
            Map<String, Double> row = new LinkedHashMap<>();
            row.put("source", mean(rs, TransferBenchmark.Run::source));
            row.put("target base", mean(rs, TransferBenchmark.Run::targetBase));
            for (String v : variants) {
                row.put(v, mean(rs, r -> r.transferred().getOrDefault(v, Double.NaN)));
            }
            out.put(task, row);
        }
        return out;
    }

    static String markdown(TransferBenchmark.Options o, List<TransferBenchmark.Run> runs) {
        Map<String, Map<String, Double>> means = means(runs, o.variants());
        List<String> columns = new ArrayList<>(List.of("source", "target base"));
        columns.addAll(o.variants());
        StringBuilder md = new StringBuilder("# Trans-LoRA transfer benchmark\n\n");
        md.append(String.format(Locale.ROOT, "tiny-llama@v1 → tiny-llama@v2 (cross-family: → tiny-bpe@v1); %d seed(s); "
                + "LoRA r8 lr %s %d steps for source and students; goal %d synthetic inputs at temperature %s; exact "
                + "match on %d real held-out examples per task (mean ± standard deviation over seeds).%n%n", o.seeds(), o.learningRate(), o.steps(), o.goal(),
                o.temperature(), o.evalExamples()));
        md.append("| task | ").append(String.join(" | ", columns)).append(" |\n|---|");
        md.append("---:|".repeat(columns.size())).append('\n');
        Map<String, Double> average = new LinkedHashMap<>();
        means.forEach((task, row) -> {
            md.append("| ").append(task);
            List<TransferBenchmark.Run> ofTask = runs.stream().filter(r -> r.task().equals(task)).toList();
            for (String c : columns) {
                md.append(String.format(Locale.ROOT, " | %.3f", row.get(c)));
                if (ofTask.size() > 1) {
                    md.append(String.format(Locale.ROOT, " ± %.3f", spread(ofTask, c)));
                }
                average.merge(c, row.get(c) / means.size(), Double::sum);
            }
            md.append(" |\n");
        });
        md.append("| **mean**");
        columns.forEach(c -> md.append(String.format(Locale.ROOT, " | **%.3f**", average.get(c))));
        md.append(" |\n\n");
        md.append(String.format(Locale.ROOT, "Discriminator accuracy on held-out real inputs %.2f, on generated %.2f. ",
                mean(runs, TransferBenchmark.Run::discriminatorOnReal),
                mean(runs, TransferBenchmark.Run::discriminatorOnGenerated)));
        if (o.variants().contains("filtered")) {
            md.append(String.format(Locale.ROOT, "Filter acceptance rate %.2f. Wall time of a filtered transfer %.1f× "
                    + "that of training the source adapter.%n%n",
                    mean(runs, r -> r.acceptanceRate().getOrDefault("filtered", Double.NaN)),
                    mean(runs, r -> r.transferSeconds().getOrDefault("filtered", Double.NaN) / r.sourceTrainingSeconds())));
            md.append("## Targets\n\n");
            double filtered = average.get("filtered");
            md.append(check("transferred ≥ source on average", filtered >= average.get("source")));
            md.append(check("transferred > target base on every task",
                    means.values().stream().allMatch(r -> r.get("filtered") > r.get("target base"))));
            if (o.variants().contains("seeds-only") && o.variants().contains("unfiltered")) {
                md.append(check("filtered > seeds only > unfiltered", filtered > average.get("seeds-only")
                        && average.get("seeds-only") > average.get("unfiltered")));
            }
        }
        return md.toString();
    }

    /** Sample standard deviation over seeds of one column's exact match. */
    private static double spread(List<TransferBenchmark.Run> runs, String column) {
        double[] values = runs.stream().mapToDouble(r -> switch (column) {
            case "source" -> r.source();
            case "target base" -> r.targetBase();
            default -> r.transferred().getOrDefault(column, Double.NaN);
        }).filter(Double::isFinite).toArray();
        if (values.length < 2) {
            return Double.NaN;
        }
        double mean = Arrays.stream(values).average().orElse(0);
        double squares = Arrays.stream(values).map(v -> (v - mean) * (v - mean)).sum();
        return Math.sqrt(squares / (values.length - 1));
    }

    private static String check(String target, boolean met) {
        return "- " + target + ": **" + (met ? "met" : "not met") + "**\n";
    }

    static void plot(Path file, List<TransferBenchmark.Run> runs, List<String> variants) throws IOException {
        Map<String, Map<String, Double>> means = means(runs, variants);
        List<String> columns = new ArrayList<>(List.of("source", "target base"));
        columns.addAll(variants);
        int width = 900;
        int height = 480;
        int left = 60;
        int top = 50;
        int plotH = height - top - 90;
        int plotW = width - left - 20;
        ChartCanvas canvas = ChartCanvas.open(width, height, "Exact match on real held-out data, mean over seeds", left);
        Graphics2D g = canvas.graphics();
        for (int i = 0; i <= 4; i++) {
            int y = top + plotH - plotH * i / 4;
            g.setColor(new Color(225, 225, 225));
            g.drawLine(left, y, left + plotW, y);
            g.setColor(Color.BLACK);
            g.drawString(String.format(Locale.ROOT, "%.2f", i / 4.0), 20, y + 4);
        }
        int groupW = plotW / Math.max(1, means.size());
        int barW = Math.max(4, (groupW - 20) / columns.size());
        int group = 0;
        for (Map.Entry<String, Map<String, Double>> e : means.entrySet()) {
            int x0 = left + group * groupW + 10;
            for (int c = 0; c < columns.size(); c++) {
                double v = e.getValue().get(columns.get(c));
                int h = Double.isFinite(v) ? (int) (plotH * v) : 0;
                g.setColor(COLORS[c % COLORS.length]);
                g.fillRect(x0 + c * barW, top + plotH - h, barW - 2, h);
            }
            g.setColor(Color.BLACK);
            g.drawString(e.getKey(), x0, top + plotH + 16);
            group++;
        }
        int lx = left;
        for (int c = 0; c < columns.size(); c++) {
            g.setColor(COLORS[c % COLORS.length]);
            g.fillRect(lx, height - 40, 12, 12);
            g.setColor(Color.BLACK);
            g.drawString(columns.get(c), lx + 16, height - 30);
            lx += 30 + g.getFontMetrics().stringWidth(columns.get(c));
        }
        canvas.save(file);
    }

    private static double mean(List<TransferBenchmark.Run> runs, ToDoubleFunction<TransferBenchmark.Run> f) {
        return runs.stream().mapToDouble(f).filter(Double::isFinite).average().orElse(Double.NaN);
    }
}
