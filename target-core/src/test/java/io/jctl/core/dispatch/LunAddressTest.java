package io.jctl.core.dispatch;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LunAddressTest {
    @Test
    void peripheralAndFlatDecode() {
        assertEquals(0, LunAddress.decode(0));
        assertEquals(5, LunAddress.decode(0x0005_0000_0000_0000L));
        assertEquals(300, LunAddress.decode(0x412c_0000_0000_0000L));
        assertEquals(255, LunAddress.decode(0x40ff_0000_0000_0000L), "flat may also name small LUNs");
    }

    @Test
    void otherFormsNameNoLun() {
        assertEquals(LunAddress.INVALID, LunAddress.decode(0x0105_0000_0000_0000L), "bus id 1");
        assertEquals(LunAddress.INVALID, LunAddress.decode(0x8005_0000_0000_0000L), "logical unit addressing");
        assertEquals(LunAddress.INVALID, LunAddress.decode(0xc105_0000_0000_0000L), "extended addressing");
        assertEquals(LunAddress.INVALID, LunAddress.decode(0x0005_0001_0000_0000L), "second level");
    }

    @Test
    void encodeRoundTrips() {
        for (int lun : new int[] {0, 1, 255, 256, 1023, 16383}) {
            assertEquals(lun, LunAddress.decode(LunAddress.encode(lun)));
        }
        assertEquals(0x0007_0000_0000_0000L, LunAddress.encode(7));
        assertEquals(0x4400_0000_0000_0000L, LunAddress.encode(1024));
    }
}
