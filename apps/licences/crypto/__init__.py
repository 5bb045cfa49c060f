"""National cryptography for licences and seals: SM2/SM3, GB/T 38540 / GM/T 0031 structures, certificates."""
