/** The encryption key ring (config ENCRYPTION_KEY): the first key encrypts and hashes, every key decrypts and matches. */
export type KeyRing = { id: string; key: Buffer }[];
