"""licences services: certificates, seals, signing, verification."""
