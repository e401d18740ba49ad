//! Transaction format, Merkle tree, EIP-712 signing and validation shared by every off-chain part.
