//! The child-chain operator: validates, persists, seals and commits blocks.
