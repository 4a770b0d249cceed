package io.bedrockgateway.fake;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Function;

/**
 * The frames of one streaming response: fixed leading frames, one frame per text delta, fixed trailing frames.
 * A {@link Fault#bigStream(long, int)} swaps the deltas for identical filler frames of the requested size.
 *
 * <p>Immutable; each {@link #frames(Fault)} call returns a fresh iterator for one connection thread.
 */
final class EventStreamPlan {
    private static final String FILLER = "lorem ipsum dolor sit amet ";

    private final List<byte[]> head;
    private final Function<String, byte[]> delta;
    private final List<String> texts;
    private final List<byte[]> tail;

    EventStreamPlan(List<byte[]> head, Function<String, byte[]> delta, List<String> texts, List<byte[]> tail) {
        this.head = List.copyOf(head);
        this.delta = delta;
        this.texts = List.copyOf(texts);
        this.tail = List.copyOf(tail);
    }

    /** The frames to write, honouring the fault's big-stream setting. */
    Iterator<byte[]> frames(Fault fault) {
        if (fault.bigStreamBytes <= 0) {
            List<byte[]> all = new ArrayList<>(head);
            texts.forEach(text -> all.add(delta.apply(text)));
            all.addAll(tail);
            return all.iterator();
        }
        byte[] filler = fillerFrame(fault.bigFrameSize);
        long fixed = head.stream().mapToLong(f -> f.length).sum() + tail.stream().mapToLong(f -> f.length).sum();
        long fillerFrames = Math.max(1, (fault.bigStreamBytes - fixed + filler.length - 1) / filler.length);
        return new Iterator<>() {
            private int index;
            private final long count = head.size() + fillerFrames + tail.size();

            @Override
            public boolean hasNext() {
                return index < count;
            }

            @Override
            public byte[] next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                long i = index++;
                if (i < head.size()) {
                    return head.get((int) i);
                }
                i -= head.size();
                return i < fillerFrames ? filler : tail.get((int) (i - fillerFrames));
            }
        };
    }

    /** A delta frame close to {@code frameSize} bytes: measure the overhead, then scale the text once. */
    private byte[] fillerFrame(int frameSize) {
        int overhead = delta.apply("").length;
        int guess = Math.max(1, frameSize - overhead);
        int measured = delta.apply(filler(guess)).length - overhead;
        int length = Math.max(1, (int) ((long) guess * guess / Math.max(1, measured)));
        return delta.apply(filler(length));
    }

    private static String filler(int length) {
        StringBuilder text = new StringBuilder(length + FILLER.length());
        while (text.length() < length) {
            text.append(FILLER);
        }
        return text.substring(0, length);
    }
}
