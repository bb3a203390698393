package io.jctl.backend.ramdisk;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

class PageTableTest {

    @Test
    void levelsCoverThePageCount() {
        assertEquals(1, PageTable.levelsFor(1));
        assertEquals(1, PageTable.levelsFor(512));
        assertEquals(2, PageTable.levelsFor(513));
        assertEquals(2, PageTable.levelsFor(512 * 512));
        assertEquals(3, PageTable.levelsFor(512 * 512 + 1));
        assertEquals(6, PageTable.levelsFor(Long.MAX_VALUE / 512));
    }

    @Test
    void leavesAreCreatedOnDemandAndSurviveGrowth() {
        PageTable table = new PageTable(1000);
        assertNull(table.leaf(700, false));
        PageTable.Node leaf = table.leaf(700, true);
        assertSame(leaf, table.leaf(600, false), "pages 512..1023 share a leaf");
        ByteBuf page = Unpooled.directBuffer(512);
        leaf.set(PageTable.slot(700), page);
        table.grow(1L << 40);
        assertSame(leaf, table.leaf(700, false));
        assertNull(table.leaf(1L << 39, false));
        assertNotNull(table.leaf((1L << 40) - 1, true));
        assertEquals(1, table.truncate(0));
        assertEquals(0, page.refCnt(), "removed pages are released");
    }

    @Test
    void truncateRemovesAndCountsPagesFromTheCut() {
        PageTable table = new PageTable(1L << 20);
        long[] pages = {0, 511, 512, 513, 100_000, (1L << 20) - 1};
        List<ByteBuf> buffers = new ArrayList<>();
        for (long p : pages) {
            ByteBuf page = Unpooled.directBuffer(512);
            buffers.add(page);
            table.leaf(p, true).set(PageTable.slot(p), page);
        }
        assertEquals(3, table.truncate(513));
        assertEquals(List.of(1, 1, 1, 0, 0, 0), buffers.stream().map(ByteBuf::refCnt).toList());
        assertNotNull(table.leaf(512, false).page(PageTable.slot(512)));
        assertNull(table.leaf(513, false).page(PageTable.slot(513)));
        assertNull(table.leaf(100_000, false), "emptied subtrees beyond the cut are dropped");
        assertEquals(3, table.truncate(0));
        assertEquals(0, table.truncate(0));
        assertEquals(List.of(0, 0, 0, 0, 0, 0), buffers.stream().map(ByteBuf::refCnt).toList());
    }
}
