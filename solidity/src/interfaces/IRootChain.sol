// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title IRootChain
/// @notice The root-chain side of the Plasma payment chain: block commitments, deposits
///         of ETH and ERC-20 tokens, standard exits with challenges, and exit processing.
///         The byte formats behind every argument are in docs/SPEC.md.
interface IRootChain {
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
    /// @notice No block has been committed at this number.
    error RootChain_BlockNotFound(uint256 blknum);
    /// @notice The (root from the proof, timestamp) pair does not match the commitment.
    error RootChain_BadInclusion(uint64 utxoPos);
    /// @notice The output index in the position is beyond the transaction's outputs.
    error RootChain_OutputNotFound(uint64 utxoPos);
    /// @notice Only the output's owner may start its exit.
    error RootChain_NotOutputOwner(address caller, address owner);
    /// @notice The attached ETH is not exactly the exit bond.
    error RootChain_BadBond(uint256 sent, uint256 required);
    /// @notice This output already has, or had, an exit.
    error RootChain_ExitExists(uint64 utxoPos);
    /// @notice The transaction type cannot exit from this kind of block.
    error RootChain_TxTypeNotExitable(uint256 blknum, uint8 txType);
    /// @notice There is no active exit for this position.
    error RootChain_ExitNotActive(uint64 utxoPos);
    /// @notice The challenging transaction's input at inputIndex is not the exiting output.
    error RootChain_NotSpendingExit(uint64 utxoPos, uint256 inputIndex);
    /// @notice The challenging transaction is not a payment.
    error RootChain_ChallengeNotPayment(uint8 txType);
    /// @notice The spend is not signed by the exit's owner.
    error RootChain_BadChallengeSignature(address recovered, address owner);
    /// @notice The signature is malformed (length, v, high s, or recovers to zero).
    error RootChain_InvalidSignature();
    /// @notice The challenger (bond receiver) is the zero address.
    error RootChain_ZeroChallenger();
    /// @notice Nothing is withdrawable for this account and token.
    error RootChain_NothingToWithdraw(address account, address token);
    /// @notice A withdrawal transfer failed.
    error RootChain_WithdrawFailed(address account, address token);
    /// @notice The token transfer for a deposit failed.
    error RootChain_TransferFailed(address token);

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
    /// @notice A standard exit started.
    event ExitStarted(
        uint64 indexed utxoPos, address indexed owner, address indexed token, uint256 amount, uint64 exitableAt
    );
    /// @notice An exit was challenged and deleted; its bond went to `challenger`.
    event ExitChallenged(uint64 indexed utxoPos, address indexed challenger, bytes32 spendingTxHash, uint8 inputIndex);
    /// @notice An exit was processed; `paid` is false when the payout was credited to `withdrawable`.
    event ExitProcessed(
        uint64 indexed utxoPos, address indexed owner, address indexed token, uint256 amount, bool paid
    );
    /// @notice A failed payout was credited for a later `withdraw`.
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
    /// @notice Deposits msg.value wei for `owner` into a new deposit block.
    /// @param owner Owner of the deposit output on the child chain.
    function depositETH(address owner) external payable;

    /// @notice Deposits `amount` of `token` (pulled with transferFrom) for `owner`.
    ///         The output is credited with what actually arrived.
    /// @param owner Owner of the deposit output on the child chain.
    /// @param token The ERC-20 token; no registration is needed.
    /// @param amount The amount to pull from msg.sender.
    function depositToken(address owner, address token, uint256 amount) external;

    // ------------------------------------------------------------------ exits
    /// @notice Starts the standard exit of an output the caller owns. Pays EXIT_BOND.
    /// @param utxoPos Position of the output.
    /// @param txBytes The canonical transaction that created the output.
    /// @param proof 16 × 32-byte Merkle proof of the transaction in its block.
    /// @param blockTimestamp The timestamp recorded when the block was committed.
    function startStandardExit(uint64 utxoPos, bytes calldata txBytes, bytes calldata proof, uint256 blockTimestamp)
        external
        payable;

    /// @notice Deletes an exit by showing a payment that spends the output, signed by its owner.
    /// @param utxoPos Position of the exiting output.
    /// @param spendingTx Canonical bytes of the spending payment (need not be in any block).
    /// @param inputIndex Index of the input that spends `utxoPos`.
    /// @param signature 65-byte EIP-712 signature of the exit's owner over `spendingTx`.
    /// @param challenger Receiver of the exit bond.
    function challengeStandardExit(
        uint64 utxoPos,
        bytes calldata spendingTx,
        uint8 inputIndex,
        bytes calldata signature,
        address challenger
    ) external;

    /// @notice Pays out up to `maxExits` matured exits of `token` in priority order.
    /// @param token The token whose queue to process (address(0) for ETH).
    /// @param maxExits Upper bound on queue entries to pop.
    /// @return processed Number of queue entries popped.
    function processExits(address token, uint256 maxExits) external returns (uint256 processed);

    /// @notice Withdraws payouts that failed during processing.
    /// @param token The token (address(0) for ETH).
    function withdraw(address token) external;

    // ------------------------------------------------------------------ views
    /// @notice The operator.
    function operator() external view returns (address);
    /// @notice The next child block number.
    function nextChildBlock() external view returns (uint256);
    /// @notice The next deposit block number.
    function nextDepositBlock() external view returns (uint256);
    /// @notice keccak256(abi.encode(root, timestamp)) of a block, zero if none.
    function blocks(uint256 blknum) external view returns (bytes32);
    /// @notice The exit of a position: owner, exitableAt, amount, status
    ///         (0 none, 1 active, 2 challenged, 3 processed). The token is in ExitStarted.
    function exits(uint64 utxoPos)
        external
        view
        returns (address owner, uint64 exitableAt, uint256 amount, uint8 status);
    /// @notice Number of entries in a token's exit queue (active and lazily deleted).
    function exitQueueLength(address token) external view returns (uint256);
    /// @notice The head of a token's queue: (exitableAt, utxoPos); reverts when empty.
    function nextExit(address token) external view returns (uint64 exitableAt, uint64 utxoPos);
    /// @notice Payouts credited to `account` after a failed transfer.
    function withdrawable(address account, address token) external view returns (uint256);
    /// @notice The EIP-712 signing hash of a transaction under this contract's domain.
    function txSigningHash(bytes calldata txBytes) external view returns (bytes32);
    /// @notice The bond for a standard exit, in wei.
    function EXIT_BOND() external view returns (uint256);
    /// @notice The part of the bond paid to whoever processes the exit.
    function PROCESS_BOUNTY() external view returns (uint256);
    /// @notice The minimum exit period, in seconds.
    function MIN_EXIT_PERIOD() external view returns (uint256);
}
