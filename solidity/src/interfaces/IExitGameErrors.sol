// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title IExitGameErrors
/// @notice Errors every exit-game module shares (ExitGameBase).
interface IExitGameErrors {
    /// @notice The exit period is outside [MIN_EXIT_PERIOD_FLOOR (10), 2^32 − 1] seconds.
    error RootChain_BadExitPeriod(uint256 minExitPeriod);
    /// @notice The bond gas price is zero (bonds would deter nothing).
    error RootChain_ZeroBondGasPrice();
    /// @notice The module was called directly, not through a RootChain's DELEGATECALL.
    error RootChain_NotDelegateCall();
}
