"""Every Danish text of the server, in one catalogue package (the tablet's is
pwa/src/i18n/da.ts)."""
