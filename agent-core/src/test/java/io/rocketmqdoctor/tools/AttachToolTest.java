package io.rocketmqdoctor.tools;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AttachToolTest {
    @Test
    void onlyTheAgentWideSwitchOrDetachDisables() {
        assertTrue(AttachTool.disables("detach"));
        assertTrue(AttachTool.disables("enabled=false"));
        assertTrue(AttachTool.disables("interval=1s, rocketmq.doctor.enabled=false"));
        assertFalse(AttachTool.disables("remoting.enabled=false"));
        assertFalse(AttachTool.disables("enabled=true,clientid.fix=true"));
        assertFalse(AttachTool.disables(null));
    }

    @Test
    void javaSpecificationVersions() {
        assertEquals(8, AttachTool.specVersion("1.8"));
        assertEquals(17, AttachTool.specVersion("17"));
        assertEquals(25, AttachTool.specVersion("25"));
        assertEquals(0, AttachTool.specVersion("x"));
    }
}
