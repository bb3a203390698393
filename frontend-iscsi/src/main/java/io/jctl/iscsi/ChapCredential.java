package io.jctl.iscsi;

/**
 * One CHAP user of an auth group.
 *
 * @param mutualUser   name the target answers with in mutual CHAP; null when the credential is one-way
 * @param mutualSecret secret the target proves it knows in mutual CHAP; null when one-way
 */
public record ChapCredential(String user, String secret, String mutualUser, String mutualSecret) {
    public ChapCredential {
        if (user == null || user.isEmpty() || secret == null || secret.isEmpty()) {
            throw new IllegalArgumentException("CHAP user and secret must not be empty");
        }
        if ((mutualUser == null) != (mutualSecret == null)) {
            throw new IllegalArgumentException("mutual CHAP needs both a user and a secret");
        }
    }

    public static ChapCredential oneWay(String user, String secret) {
        return new ChapCredential(user, secret, null, null);
    }

    public boolean mutual() {
        return mutualUser != null;
    }
}
