package io.jctl.backend.ramdisk;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A sparse radix tree of fixed-size pages indexed by page number. Each node has {@link #FANOUT} slots; leaves hold
 * pages (off-heap {@link ByteBuf}s), inner nodes hold nodes. Nodes and pages are installed with compare-and-set, so
 * concurrent writers never lose a page; a missing slot means "never written" (reads as zeros). Removing a page is
 * clearing its slot and releasing it under its monitor, which is how truncation and UNMAP free memory; whoever
 * copies to or from a page holds the same monitor and skips a page whose reference count is 0. A slot holding
 * {@link #ANCHORED} is an anchored page: no memory, reads as zeros, but its share of the capacity stays reserved.
 */
final class PageTable {
    static final int BITS = 9;
    static final int FANOUT = 1 << BITS;
    private static final int MASK = FANOUT - 1;
    /** Marks an anchored page (UNMAP with ANCHOR); compared by identity, never read or released. */
    static final ByteBuf ANCHORED = Unpooled.unreleasableBuffer(Unpooled.EMPTY_BUFFER.duplicate());

    /** A node of the tree: slots hold child nodes, or pages in a leaf. */
    static final class Node extends AtomicReferenceArray<Object> {
        private static final long serialVersionUID = 1L;

        Node() {
            super(FANOUT);
        }

        ByteBuf page(int slot) {
            return (ByteBuf) get(slot);
        }
    }

    /** The root and the number of levels below it, replaced together when the tree grows. */
    private record Root(Node node, int levels) {
    }

    private volatile Root root;

    PageTable(long pageCount) {
        this.root = new Root(new Node(), levelsFor(pageCount));
    }

    /** Levels needed to address {@code pageCount} pages (at most 2^54 with 512-byte pages: 6 levels). */
    static int levelsFor(long pageCount) {
        int levels = 1;
        while (((pageCount - 1) >>> (BITS * levels)) != 0) {
            levels++;
        }
        return levels;
    }

    static int slot(long pageIndex) {
        return (int) (pageIndex & MASK);
    }

    /**
     * The leaf that holds page {@code pageIndex}; with {@code create} false, null when no page of that leaf was
     * ever written.
     */
    Node leaf(long pageIndex, boolean create) {
        Root r = root;
        Node node = r.node();
        for (int level = r.levels() - 1; level > 0; level--) {
            int slot = (int) ((pageIndex >>> (BITS * level)) & MASK);
            Node child = (Node) node.get(slot);
            if (child == null) {
                if (!create) {
                    return null;
                }
                Node fresh = new Node();
                child = node.compareAndSet(slot, null, fresh) ? fresh : (Node) node.get(slot);
            }
            node = child;
        }
        return node;
    }

    /** Makes room for {@code pageCount} pages by adding levels above the current root. */
    synchronized void grow(long pageCount) {
        int needed = levelsFor(pageCount);
        Root r = root;
        while (r.levels() < needed) {
            Node top = new Node();
            top.set(0, r.node());
            r = new Root(top, r.levels() + 1);
        }
        root = r;
    }

    /**
     * Removes and releases every page from {@code keepPages} on; returns the number of pages removed (anchored ones
     * included, since they hold a share of the capacity).
     */
    synchronized long truncate(long keepPages) {
        Root r = root;
        return truncate(r.node(), r.levels(), 0, keepPages);
    }

    private static long truncate(Node node, int levels, long firstPage, long keepPages) {
        long removed = 0;
        if (levels == 1) {
            for (int i = (int) Math.min(FANOUT, Math.max(0, keepPages - firstPage)); i < FANOUT; i++) {
                ByteBuf page = (ByteBuf) node.getAndSet(i, null);
                if (page == ANCHORED) {
                    removed++;
                } else if (page != null) {
                    synchronized (page) {
                        page.release();
                    }
                    removed++;
                }
            }
            return removed;
        }
        long span = 1L << (BITS * (levels - 1));
        for (int i = 0; i < FANOUT; i++) {
            long childFirst = firstPage + i * span;
            Node child = (Node) node.get(i);
            if (child == null || childFirst + span <= keepPages) {
                continue;
            }
            removed += truncate(child, levels - 1, childFirst, keepPages);
            if (childFirst >= keepPages) {
                node.set(i, null);
            }
        }
        return removed;
    }
}
