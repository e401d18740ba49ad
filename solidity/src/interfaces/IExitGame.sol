// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title IExitGame
/// @notice What the framework calls on an exit-game module, always through DELEGATECALL in
///         its own storage. Never routed from outside: only `processExits` reaches
///         `processExit`.
interface IExitGame {
    /// @notice The id this game puts in its queue keys (ExitQueueLib).
    function GAME_ID() external view returns (uint8);

    /// @notice Settles one popped queue entry of `token`: pays what it owes out of at most
    ///         `budget` of the token (the funds available when processing began, less what
    ///         earlier entries spent) and never reverts on a payout failure.
    /// @param token The queue's token.
    /// @param key The popped queue key (ExitQueueLib layout).
    /// @param budget The most of `token` this entry may pay out.
    /// @return spent The part of `budget` paid or reserved for a deferred payout.
    /// @return bounty ETH, released from the bond, owed to the processor.
    function processExit(address token, uint256 key, uint256 budget) external returns (uint256 spent, uint256 bounty);
}
