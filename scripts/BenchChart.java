import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * The chart of scripts/bench.sh: webhook intake, pgbench's same INSERT and the Node receiver, events/s
 * by client count, as grouped bars. Plain Java2D, run with the source launcher:
 * {@code java scripts/BenchChart.java intake.tsv intake.png} (tsv: clients, suite, pgbench, node).
 */
public class BenchChart {
    public static void main(String[] args) throws Exception {
        List<double[]> rows = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of(args[0]))) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split("\t");
            double[] r = new double[4];
            for (int i = 0; i < 4; i++) {
                r[i] = f.length > i && !f[i].isBlank() && !f[i].equals("null") ? Double.parseDouble(f[i]) : 0;
            }
            rows.add(r);
        }
        int w = 900, h = 520, left = 80, right = 30, top = 60, bottom = 70;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        double max = 1;
        for (double[] r : rows) {
            for (int i = 1; i < 4; i++) {
                max = Math.max(max, r[i]);
            }
        }
        double step = Math.pow(10, Math.floor(Math.log10(max)));
        double ceil = Math.ceil(max / step) * step;
        int plotH = h - top - bottom, plotW = w - left - right;
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.setColor(Color.BLACK);
        g.drawString("Webhook intake vs pgbench vs Node/Express receiver (events/s, closed loop, medians)", left - 40, 30);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        for (int i = 0; i <= 5; i++) {
            double v = ceil * i / 5;
            int y = top + plotH - (int) (plotH * v / ceil);
            g.setColor(new Color(225, 225, 225));
            g.drawLine(left, y, left + plotW, y);
            g.setColor(Color.DARK_GRAY);
            g.drawString(String.format("%,.0f", v), 10, y + 4);
        }
        Color[] colors = {new Color(31, 119, 180), new Color(150, 150, 150), new Color(44, 160, 44)};
        String[] names = {"suite webhook intake", "pgbench (same INSERT)", "Node/Express + stripe-node + pg"};
        int groups = Math.max(1, rows.size());
        int groupW = plotW / groups;
        int barW = Math.max(8, (groupW - 30) / 3);
        for (int gi = 0; gi < rows.size(); gi++) {
            double[] r = rows.get(gi);
            int x0 = left + gi * groupW + (groupW - 3 * barW) / 2;
            for (int s = 0; s < 3; s++) {
                int bh = (int) (plotH * r[s + 1] / ceil);
                int x = x0 + s * barW;
                g.setColor(colors[s]);
                g.fillRect(x, top + plotH - bh, barW - 4, bh);
                g.setColor(Color.BLACK);
                String label = String.format("%,.0f", r[s + 1]);
                g.drawString(label, x + (barW - 4 - g.getFontMetrics().stringWidth(label)) / 2, top + plotH - bh - 4);
            }
            String c = (int) r[0] + " clients";
            g.drawString(c, left + gi * groupW + (groupW - g.getFontMetrics().stringWidth(c)) / 2, top + plotH + 18);
        }
        g.setStroke(new BasicStroke(1));
        g.drawLine(left, top + plotH, left + plotW, top + plotH);
        int lx = left;
        for (int s = 0; s < 3; s++) {
            g.setColor(colors[s]);
            g.fillRect(lx, h - 30, 14, 14);
            g.setColor(Color.BLACK);
            g.drawString(names[s], lx + 20, h - 18);
            lx += 40 + g.getFontMetrics().stringWidth(names[s]);
        }
        g.dispose();
        ImageIO.write(img, "png", new File(args[1]));
    }
}
