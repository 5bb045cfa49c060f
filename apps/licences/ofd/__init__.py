"""OFD (GB/T 33190-2016) writing, reading, rendering, signing and verification."""

NS = "http://www.ofdspec.org/2016"
