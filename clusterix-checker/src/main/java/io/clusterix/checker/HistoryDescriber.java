package io.clusterix.checker;

import io.clusterix.NodeDownEvent;
import io.clusterix.checker.History.Call;
import io.clusterix.checker.History.Handler;
import io.clusterix.checker.History.NodeEvent;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Writes the one-line descriptions of a {@link History}'s calls, claims, handlers and node events that violations
 * and report files show, with every time relative to the run's start on the server's clock.
 */
final class HistoryDescriber {
    private final History history;

    /** @param history the history whose times it writes */
    HistoryDescriber(History history) {
        this.history = history;
    }

    /** @return a server time relative to the run's start, e.g. {@code +12.345s} */
    String time(long serverMillis) {
        return String.format("+%.3fs", (serverMillis - history.serverStart()) / 1000.0);
    }

    /** @return a local time as {@link #time(long)} writes it; {@code -} for one that did not happen */
    String local(long nanos) {
        return nanos < 0 ? "-" : time(history.serverMillis(nanos));
    }

    /**
     * @param claim a claim
     * @return one line: the death, when, and the call that claimed it
     */
    String describe(Claim claim) {
        return "claim of " + event(claim.event()) + " at " + time(claim.at()) + " by " + describe(claim.call());
    }

    private static String event(NodeDownEvent event) {
        return event.nodeId() + " incarnation " + event.incarnation() + " (" + event.reason() + ", delivery "
                + event.delivery() + ")";
    }

    /**
     * @param call a call
     * @return one line: who, what, when, and what became of it
     */
    String describe(Call call) {
        StringBuilder out = new StringBuilder("call#" + call.seq() + " " + call.node() + "/life" + call.life() + " "
                + call.op());
        if (call.incarnation() != 0) {
            out.append(" inc=").append(call.incarnation());
        }
        if (!call.handling().isEmpty()) {
            out.append(" handling=").append(call.handling());
        }
        if (!call.handled().isEmpty()) {
            out.append(" handled=").append(call.handled());
        }
        if (call.reapLimit() > 0) {
            out.append(" poll");
        }
        out.append(" called ").append(local(call.called())).append(" sent ").append(local(call.sent()));
        if (call.reply() != null) {
            out.append(" -> ").append(call.reply().status());
            if (call.reply().incarnation() != 0) {
                out.append(" ").append(call.reply().incarnation());
            }
            if (call.reply().serverTime() >= 0) {
                out.append(" at ").append(time(call.reply().serverTime()));
            }
            if (!call.reply().claimed().isEmpty()) {
                out.append(" claimed ").append(call.reply().claimed().stream().map(HistoryDescriber::event)
                        .collect(Collectors.joining(", ", "[", "]")));
            }
        } else if (call.error() != null) {
            out.append(" -> failed: ").append(call.error());
        }
        out.append(", ").append(call.fate());
        if (call.delivered() >= 0) {
            out.append(" ").append(local(call.delivered()));
        } else if (call.replied() >= 0) {
            out.append(" (replied ").append(local(call.replied())).append(")");
        }
        return out.toString();
    }

    /**
     * @param handler a handler
     * @return one line: where, of what, from when to when, how it ended
     */
    String describe(Handler handler) {
        return "handler#" + handler.seq() + " on " + handler.node() + "/life" + handler.life() + " of "
                + event(handler.event()) + ": " + local(handler.started()) + " to " + (handler.ended() < 0
                ? "(still running)" : local(handler.ended()) + (handler.completed() ? " completed"
                : " stopped, its node gone"));
    }

    /**
     * @param event a node event
     * @return one line
     */
    String describe(NodeEvent event) {
        return event.node() + "/life" + event.life() + " " + event.kind() + " " + local(event.at())
                + (event.incarnation() != 0 ? " incarnation " + event.incarnation() : "")
                + (event.detail().isEmpty() ? "" : " (" + event.detail() + ")");
    }

    /**
     * @param events node events
     * @return one line for each, in order
     */
    List<String> describeAll(List<NodeEvent> events) {
        List<String> lines = new ArrayList<>();
        for (NodeEvent event : events) {
            lines.add(describe(event));
        }
        return lines;
    }
}
