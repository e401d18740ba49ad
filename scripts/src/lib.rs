//! Deploy, devnet, user CLI and cost-report commands.
