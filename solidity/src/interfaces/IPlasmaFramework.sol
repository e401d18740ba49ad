// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title IPlasmaFramework
/// @notice The framework half of the root chain: block commitments and the operator,
///         deposits, per-token exit queues processed in priority order, and the vault that
///         pays exits without ever paying one claim out of another's funds. Exit rules live
///         in exit-game modules (IStandardExitGame, …); IRootChain is the whole ABI.
interface IPlasmaFramework {
    // ------------------------------------------------------------------ errors
    /// @notice The caller is not the operator.
    error RootChain_NotOperator(address caller);
    /// @notice The caller is not the pending operator of a two-step hand-over.
    error RootChain_NotPendingOperator(address caller);
    /// @notice The new operator is the zero address.
    error RootChain_ZeroOperator();
    /// @notice 999 deposits were already made since the last child block.
    error RootChain_TooManyDeposits(uint256 nextChildBlock);
    /// @notice The child-block number would leave the uint64 position space.
    error RootChain_BlockNumberOverflow(uint256 blknum);
    /// @notice A deposit of zero, or that credited nothing (fee-on-transfer ate it all).
    error RootChain_ZeroDeposit();
    /// @notice A token deposit named address(0); use depositETH.
    error RootChain_ZeroToken();
    /// @notice The deposit's owner is the zero address.
    error RootChain_ZeroOwner();
    /// @notice The ETH sent does not cover the congestion fee of this deposit (`depositFee`).
    error RootChain_BadDepositFee(uint256 sent, uint256 fee);
    /// @notice Nothing is withdrawable for this account and token.
    error RootChain_NothingToWithdraw(address account, address token);
    /// @notice A withdrawal transfer failed.
    error RootChain_WithdrawFailed(address account, address token);
    /// @notice The token transfer for a deposit failed.
    error RootChain_TransferFailed(address token);
    /// @notice The exit-game module is missing, does not have the expected game id, or does
    ///         not share the other modules' exit period and bond gas price.
    error RootChain_BadExitGame(address game);
    /// @notice No exit game serves this function selector.
    error RootChain_UnknownSelector(bytes4 selector);

    // ------------------------------------------------------------------ events
    /// @notice The operator committed a child block.
    event BlockSubmitted(uint256 indexed blknum, bytes32 root, uint256 timestamp);
    /// @notice A deposit created a deposit block holding one DEPOSIT transaction.
    event DepositCreated(
        address indexed owner,
        address indexed token,
        uint256 indexed blknum,
        uint256 amount,
        bytes32 root,
        uint256 timestamp
    );
    /// @notice A failed payout was credited for a later `withdraw`; its funds are reserved.
    event PayoutDeferred(address indexed account, address indexed token, uint256 amount);
    /// @notice A deferred payout was withdrawn.
    event Withdrawn(address indexed account, address indexed token, uint256 amount);
    /// @notice The operator proposed a new operator.
    event OperatorTransferStarted(address indexed current, address indexed pending);
    /// @notice The pending operator accepted the role.
    event OperatorTransferred(address indexed previous, address indexed current);

    // ------------------------------------------------------------------ blocks
    /// @notice Commits the root of the next child block. Operator only.
    /// @param root Merkle root of the block's transactions (docs/SPEC.md).
    function submitBlock(bytes32 root) external;

    /// @notice Starts a two-step operator hand-over. Operator only.
    /// @param pending The proposed operator, which must call acceptOperator.
    function transferOperator(address pending) external;

    /// @notice Completes the hand-over. Pending operator only.
    function acceptOperator() external;

    // ------------------------------------------------------------------ deposits
    /// @notice Deposits for `owner` into a new deposit block: the output is
    ///         `msg.value − depositFee()` wei (the fee is zero unless the interval is crowded).
    /// @param owner Owner of the deposit output on the child chain.
    function depositETH(address owner) external payable;

    /// @notice Deposits `amount` of `token` (pulled with transferFrom) for `owner`, with
    ///         exactly `depositFee()` wei attached. The output is credited with what arrived.
    /// @param owner Owner of the deposit output on the child chain.
    /// @param token The ERC-20 token; no registration is needed.
    /// @param amount The amount to pull from msg.sender.
    function depositToken(address owner, address token, uint256 amount) external payable;

    // ------------------------------------------------------------------ exits
    /// @notice Processes up to `maxExits` matured exits of `token` in priority order. Each
    ///         is paid from the token's funds as they stood when the call began, less what is
    ///         reserved for deferred payouts and held as bonds; never more than that.
    /// @param token The token whose queue to process (address(0) for ETH).
    /// @param maxExits Upper bound on queue entries to pop.
    /// @return processed Number of queue entries popped.
    function processExits(address token, uint256 maxExits) external returns (uint256 processed);

    /// @notice Withdraws payouts that failed during processing or challenges.
    /// @param token The token (address(0) for ETH).
    function withdraw(address token) external;

    // ------------------------------------------------------------------ views
    /// @notice The operator.
    function operator() external view returns (address);
    /// @notice The operator proposed by transferOperator, zero when none is pending.
    function pendingOperator() external view returns (address);
    /// @notice The next child block number.
    function nextChildBlock() external view returns (uint256);
    /// @notice The next deposit block number.
    function nextDepositBlock() external view returns (uint256);
    /// @notice The congestion fee in wei of the next deposit (zero for the first 256 of an
    ///         interval, then doubling every 64 deposits).
    function depositFee() external view returns (uint256);
    /// @notice keccak256(abi.encode(root, timestamp)) of a block, zero if none.
    function blocks(uint256 blknum) external view returns (bytes32);
    /// @notice The exit record of an output (docs/CONTRACTS.md): status (0 none, 1 exiting,
    ///         2 challenged, 3 exited), and the claimant and amount of its standard exit.
    function outputExit(bytes32 outputId) external view returns (uint8 status, address owner, uint256 amount);
    /// @notice Number of entries in a token's exit queue (active and lazily deleted).
    function exitQueueLength(address token) external view returns (uint256);
    /// @notice The head of a token's queue: (exitableAt, priority position, game id); reverts when empty.
    function nextExit(address token) external view returns (uint64 exitableAt, uint64 utxoPos, uint8 gameId);
    /// @notice Payouts credited to `account` after a failed transfer.
    function withdrawable(address account, address token) external view returns (uint256);
    /// @notice Funds of `token` reserved for deferred payouts.
    function reserved(address token) external view returns (uint256);
    /// @notice ETH held as bonds of live exits.
    function bondsHeld() external view returns (uint256);
    /// @notice What `processExits` could pay out of `token` now: its balance less reserved
    ///         funds and (for ETH) bonds; zero when the balance falls short.
    function availableFunds(address token) external view returns (uint256);
    /// @notice The EIP-712 signing hash of a transaction under this contract's domain.
    function txSigningHash(bytes calldata txBytes) external view returns (bytes32);
    /// @notice The standard exit-game module this contract DELEGATECALLs (fixed at deployment).
    function STANDARD_EXIT_GAME() external view returns (address);
    /// @notice The in-flight exit-game module (start, piggybacks, processing; fixed at deployment).
    function IN_FLIGHT_EXIT_GAME() external view returns (address);
    /// @notice The in-flight exit challenges module (fixed at deployment, named by IN_FLIGHT_EXIT_GAME).
    function IN_FLIGHT_EXIT_CHALLENGES() external view returns (address);
}
