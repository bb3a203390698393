package io.jctl.iscsi.login;

import io.jctl.iscsi.IscsiSettings;

import java.util.Set;

/**
 * Answers operational text keys as a target, following ctld's choices (ctl-facts §10.3) within RFC 7143 §13's
 * result functions and ranges.
 */
final class OperationalNegotiator {
    static final String NOT_UNDERSTOOD = "NotUnderstood";
    static final String IRRELEVANT = "Irrelevant";
    static final String REJECT = "Reject";

    /** Keys that carry no meaning in a discovery session (RFC 7143 §13). */
    private static final Set<String> SESSION_ONLY = Set.of("InitialR2T", "ImmediateData", "MaxBurstLength",
            "FirstBurstLength", "MaxOutstandingR2T", "DataPDUInOrder", "DataSequenceInOrder");

    private final IscsiSettings settings;
    private final SessionParameters params;

    OperationalNegotiator(IscsiSettings settings, SessionParameters params) {
        this.settings = settings;
        this.params = params;
    }

    /** True for keys this class negotiates. */
    static boolean isOperational(String key) {
        return switch (key) {
            case "HeaderDigest", "DataDigest", "MaxConnections", "InitialR2T", "ImmediateData",
                 "MaxRecvDataSegmentLength", "MaxBurstLength", "FirstBurstLength", "DefaultTime2Wait",
                 "DefaultTime2Retain", "MaxOutstandingR2T", "DataPDUInOrder", "DataSequenceInOrder",
                 "ErrorRecoveryLevel", "OFMarker", "IFMarker", "OFMarkInt", "IFMarkInt", "iSCSIProtocolLevel" -> true;
            default -> false;
        };
    }

    /**
     * The answer to one offered key, or null when the key is declarative and needs none.
     */
    String answer(String key, String value) {
        if (IRRELEVANT.equals(value)) {
            return null;
        }
        if (params.discovery && SESSION_ONLY.contains(key)) {
            return IRRELEVANT;
        }
        try {
            return switch (key) {
                case "HeaderDigest" -> params.headerDigest = digest(value);
                case "DataDigest" -> params.dataDigest = digest(value);
                case "MaxConnections" -> {
                    number(value, 1, 65535);
                    yield "1";
                }
                case "InitialR2T" -> {
                    // OR function: the initiator's Yes wins, otherwise our No lets unsolicited data through.
                    params.initialR2T = bool(value);
                    yield yesNo(params.initialR2T);
                }
                case "ImmediateData" -> {
                    params.immediateData = bool(value);
                    yield yesNo(params.immediateData);
                }
                case "MaxRecvDataSegmentLength" -> {
                    params.maxSendDataSegmentLength = (int) number(value, 512, IscsiSettings.MAX_SEGMENT);
                    yield null;
                }
                case "MaxBurstLength" -> {
                    params.maxBurstLength = (int) Math.min(number(value, 512, IscsiSettings.MAX_SEGMENT),
                            settings.maxBurstLength());
                    yield Integer.toString(params.maxBurstLength);
                }
                case "FirstBurstLength" -> {
                    params.firstBurstLength = (int) Math.min(number(value, 512, IscsiSettings.MAX_SEGMENT),
                            settings.firstBurstLength());
                    yield Integer.toString(params.firstBurstLength);
                }
                case "DefaultTime2Wait" -> {
                    params.defaultTime2Wait = (int) number(value, 0, 3600);
                    yield Integer.toString(params.defaultTime2Wait);
                }
                case "DefaultTime2Retain" -> {
                    number(value, 0, 3600);
                    params.defaultTime2Retain = 0;
                    yield "0";
                }
                case "MaxOutstandingR2T" -> {
                    number(value, 1, 65535);
                    params.maxOutstandingR2T = 1;
                    yield "1";
                }
                case "DataPDUInOrder", "DataSequenceInOrder" -> {
                    bool(value);
                    yield "Yes";
                }
                case "ErrorRecoveryLevel" -> {
                    number(value, 0, 2);
                    yield "0";
                }
                case "OFMarker", "IFMarker" -> {
                    bool(value);
                    yield "No";
                }
                case "OFMarkInt", "IFMarkInt" -> IRRELEVANT;
                case "iSCSIProtocolLevel" -> Long.toString(Math.min(number(value, 0, 31), 2));
                default -> NOT_UNDERSTOOD;
            };
        } catch (IllegalArgumentException e) {
            return REJECT;
        }
    }

    /** Checks that hold once every key is settled. */
    void finish() throws LoginFailure {
        if (!params.discovery && params.firstBurstLength > params.maxBurstLength) {
            throw new LoginFailure(LoginStatus.INITIATOR_ERROR, "FirstBurstLength " + params.firstBurstLength
                    + " exceeds MaxBurstLength " + params.maxBurstLength);
        }
    }

    private String digest(String list) {
        if (params.discovery) {
            return "None";
        }
        for (String v : list.split(",")) {
            if (v.equals("CRC32C") || v.equals("None")) {
                return v;
            }
        }
        return "None";
    }

    private static boolean bool(String v) {
        return switch (v) {
            case "Yes" -> true;
            case "No" -> false;
            default -> throw new IllegalArgumentException("not Yes or No: " + v);
        };
    }

    private static String yesNo(boolean v) {
        return v ? "Yes" : "No";
    }

    /** Decimal or 0x-hex number within [min, max]. */
    static long number(String v, long min, long max) {
        long n;
        if (v.startsWith("0x") || v.startsWith("0X")) {
            n = Long.parseLong(v.substring(2), 16);
        } else {
            n = Long.parseLong(v);
        }
        if (n < min || n > max) {
            throw new IllegalArgumentException(v + " outside " + min + ".." + max);
        }
        return n;
    }
}
