/**
 * PDU framing: the 48-byte BHS model, the decoder that only frames (lengths checked against the negotiated limit
 * before anything is buffered, CRC32C digests), the encoder, and the text key format.
 */
package io.jctl.iscsi.pdu;
