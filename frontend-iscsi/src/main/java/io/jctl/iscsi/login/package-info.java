/**
 * The login phase: stage transitions, operational key negotiation with RFC 7143 §13 ranges and ctld's answers,
 * CHAP-MD5 with mutual CHAP, auth-group access checks, and the login status codes ctld uses.
 */
package io.jctl.iscsi.login;
