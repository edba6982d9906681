package io.clusterix.chaos;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks the membership histories the node processes of a scenario printed ({@code VIEW} lines): every process applied
 * the changes after its join once each, in order, without gaps (a resync may jump ahead, never back), and at every
 * version all processes that applied it agree on the change and on the view after it.
 */
final class HistoryCheck {
    private HistoryCheck() {
    }

    /**
     * @param lines every line of the scenario
     * @return the problems found, one line each; empty if the histories are identical
     */
    static List<String> problems(List<Line> lines) {
        List<String> problems = new ArrayList<>();
        Map<Long, String> changeAt = new HashMap<>();
        Map<Long, String> viewAt = new HashMap<>();
        Map<NodeProcess, Long> last = new LinkedHashMap<>();
        for (Line line : lines) {
            if (!line.is("VIEW")) {
                continue;
            }
            String[] a = line.args();
            long version = Long.parseLong(a[0]);
            boolean resync = a[3].equals("resync");
            String who = line.node().label();
            Long previous = last.get(line.node());
            if (previous != null) {
                if (version < previous || (!resync && version != previous + 1)) {
                    problems.add(who + " applied version " + version + " after " + previous
                            + (resync ? " (resync)" : ""));
                }
            }
            last.put(line.node(), version);
            String view = viewAt.putIfAbsent(version, a[4]);
            if (view != null && !view.equals(a[4])) {
                problems.add(who + " has another view at version " + version + ": " + a[4] + " instead of " + view);
            }
            if (!resync) {
                String change = a[1] + " " + a[5] + " " + a[2];
                String seen = changeAt.putIfAbsent(version, change);
                if (seen != null && !seen.equals(change)) {
                    problems.add(who + " applied another change at version " + version + ": " + change + " instead of "
                            + seen);
                }
            }
        }
        return problems;
    }
}
