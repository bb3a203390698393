/** SendTargets answers for discovery sessions and for Text requests in normal sessions. */
package io.jctl.iscsi.discovery;
