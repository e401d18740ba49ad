// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {CommonBase} from "forge-std/Base.sol";
import {StdCheats} from "forge-std/StdCheats.sol";
import {StdUtils} from "forge-std/StdUtils.sol";
import {Vm} from "forge-std/Vm.sol";

import {IRootChain} from "../../../src/interfaces/IRootChain.sol";
import {IStandardExitGame} from "../../../src/interfaces/IStandardExitGame.sol";
import {ERC20Mock} from "../../../src/test-helpers/ERC20Mock.sol";
import {ByzantineToken} from "../../mocks/ByzantineToken.sol";
import {GasBurningReceiver, RevertingReceiver} from "../../mocks/ExitAgent.sol";
import {TxBuilder} from "../../shared/TxBuilder.sol";

/// @title ByzantineOperatorHandler
/// @notice A byzantine operator and its accomplices against honest users.
///
///         Honest users (two EOAs, a contract that refuses ETH until it opens up, a contract
///         that burns the gas of every ETH payout) deposit ETH and a plain ERC-20 (bounded
///         amounts) and exit every deposit at once. They watch the chain: once the operator
///         has committed an invalid or withheld block they stop depositing within half an
///         exit period, so every honest exit (deposit: now + MIN_EXIT_PERIOD) is ahead of
///         every exit from such a block (MoreVP: no earlier than the block + 2 periods).
///
///         The operator commits invalid blocks (outputs from nothing, any amount up to
///         type(uint256).max, any of the three tokens, to mallory or to hostile accomplice
///         contracts), includes a transaction twice (two indices or two blocks), withholds
///         blocks and reveals their content later, exits invalid outputs, challenges its own
///         exits (naming itself or a hostile receiver), spends its own valid deposits and
///         exits them twice over (a watchtower challenges), and runs a token whose payouts
///         misbehave (ByzantineToken, in its own queue only). Anyone processes exits; time
///         passes.
///
///         Ghost books: every exit with its spec key (exitableAt, position), kind (honest,
///         valid byzantine, invalid) and amount; what processing paid each honest account,
///         read from balances and withdrawable credit, not from events.
contract ByzantineOperatorHandler is CommonBase, StdCheats, StdUtils {
    /// @notice Who an exit belongs to and whether its output is real.
    enum Kind {
        Honest, // an honest user's deposit
        Valid, // a real output of the byzantine side (its own deposits and their spends)
        Invalid // an output of an invalid or withheld block
    }

    /// @notice A ghost exit.
    struct Exit {
        bytes32 exitId;
        address token;
        address owner;
        uint256 amount;
        uint64 pos;
        uint64 exitableAt;
        Kind kind;
        bool processed;
        bool challenged;
    }

    /// @notice A withheld block's content, known only to the operator.
    struct Withheld {
        bytes txBytes;
        bytes proof;
        uint256 blknum;
        uint256 timestamp;
        bool revealed;
    }

    /// @notice A deposit block with its one transaction.
    struct Deposit {
        uint256 blknum;
        bytes txBytes;
        bytes proof;
    }

    uint256 public constant PERIOD = 1 weeks;
    uint256 internal constant MALLORY_KEY = 0x3a11;
    /// @notice Gas given to every processExits call (a block's worth).
    uint256 public constant PROCESS_GAS_LIMIT = 30_000_000;
    /// @notice Largest honest deposit.
    uint256 public constant MAX_HONEST = 1_000 ether;

    IRootChain public immutable rootChain;
    address public immutable operator;
    address public immutable mallory;
    address public immutable watchtower;
    ERC20Mock public immutable plain;
    ByzantineToken public immutable byz;
    uint256 public immutable bond;
    uint256 public immutable refund;
    bytes32 internal immutable emptyRoot;

    /// @notice ETH, the plain token (honest and byzantine), the byzantine token.
    address[3] public tokens;
    /// @notice Honest users: two EOAs, a reverting receiver, a gas-burning receiver.
    address[4] public honest;
    /// @notice The operator's hostile accomplices (a reverting and a gas-burning receiver).
    address[2] public accomplices;

    Exit[] internal exits;
    mapping(bytes32 exitId => uint256 indexPlusOne) internal exitIndex;
    Withheld[] internal withheld;
    /// @notice Positions of mallory's live exits (she holds a key, so she can self-challenge).
    uint64[] internal malloryPositions;

    /// @notice When the first invalid or withheld block was committed (0: none yet).
    uint256 public firstInvalidAt;
    /// @notice Live exits (started, neither challenged nor processed).
    uint256 public liveExits;
    /// @notice Per token: Σ amounts of live exits of real outputs (honest and byzantine).
    mapping(address token => uint256 amount) public validLive;
    /// @notice Per token: an invalid output was paid something (the pool was cheated).
    mapping(address token => bool) public cheated;
    /// @notice Per token: the key of the last exit processed.
    mapping(address token => uint256 key) public lastKey;
    /// @notice Per exit id: how often it was reported processed.
    mapping(bytes32 exitId => uint256 count) public processedCount;

    // Violations, each set where it is seen.
    bool public honestShortPaid;
    bool public outOfOrder;
    bool public maturedLeftBehind;
    bool public doublePaid;
    bool public duplicateExited;
    bool public processReverted;
    bool public selfChallengeProfited;
    uint256 public honestExitsProcessed;
    uint256 public invalidExitsPaid;

    constructor(IRootChain rootChain_, address operator_) {
        rootChain = rootChain_;
        operator = operator_;
        mallory = vm.addr(MALLORY_KEY);
        watchtower = vm.addr(0x7A7C4);
        plain = new ERC20Mock("Plain", "PLN");
        byz = new ByzantineToken(rootChain_);
        tokens = [address(0), address(plain), address(byz)];
        honest = [vm.addr(0xA11CE), vm.addr(0xB0B), address(new RevertingReceiver()), address(new GasBurningReceiver())];
        accomplices = [address(new RevertingReceiver()), address(new GasBurningReceiver())];
        bond = rootChain_.EXIT_BOND();
        refund = bond - rootChain_.PROCESS_BOUNTY();
        emptyRoot = TxBuilder.zeros()[16];
    }

    // ------------------------------------------------------------------ views

    /// @notice Every account that can be owed a payout.
    function accounts() public view returns (address[10] memory a) {
        a = [
            honest[0],
            honest[1],
            honest[2],
            honest[3],
            accomplices[0],
            accomplices[1],
            mallory,
            watchtower,
            operator,
            address(this)
        ];
    }

    /// @notice Σ withdrawable[*][tok].
    function withdrawableSum(address tok) external view returns (uint256 total) {
        address[10] memory a = accounts();
        for (uint256 i; i < a.length; ++i) {
            total += rootChain.withdrawable(a[i], tok);
        }
    }

    /// @notice Number of ghost exits.
    function exitCount() external view returns (uint256) {
        return exits.length;
    }

    /// @notice A ghost exit.
    function exitAt(uint256 i) external view returns (Exit memory) {
        return exits[i];
    }

    /// @notice The contract's balance of a token.
    function balanceOf(address tok) public view returns (uint256) {
        return tok == address(0) ? address(rootChain).balance : IERC20(tok).balanceOf(address(rootChain));
    }

    // ------------------------------------------------------------------ honest users

    /// @notice An honest user deposits ETH or the plain token and exits the deposit at once.
    function honestDepositAndExit(uint256 userSeed, bool useToken, uint256 amount) external {
        // Watchers stop depositing within half a period of an invalid or withheld block.
        if (firstInvalidAt != 0 && block.timestamp > firstInvalidAt + PERIOD / 2) return;
        address user = honest[userSeed % 4];
        address tok = useToken ? address(plain) : address(0);
        amount = bound(amount, 1, MAX_HONEST);
        (uint256 blknum, bytes memory dtx, bytes memory proof) = _deposit(user, tok, amount);
        _startExit(user, uint64(blknum * 1e9), dtx, proof, block.timestamp, 0, Kind.Honest);
    }

    /// @notice An honest contract claims what was deferred to it (the reverting receiver opens
    ///         up for it; the gas burner can only ever claim tokens).
    function honestWithdraw(bool burner, bool useToken) external {
        address user = honest[burner ? 3 : 2];
        address tok = useToken ? address(plain) : address(0);
        if (burner && tok == address(0)) return;
        if (rootChain.withdrawable(user, tok) == 0) return;
        if (!burner) RevertingReceiver(payable(user)).setOpen(true);
        RevertingReceiver(payable(user)).withdraw(rootChain, tok);
        if (!burner) RevertingReceiver(payable(user)).setOpen(false);
    }

    // ------------------------------------------------------------------ byzantine operator

    /// @notice An invalid block: one or two outputs from nothing (any token, any amount up to
    ///         type(uint256).max, owned by mallory or an accomplice), exited at once.
    ///         `dupMode` 1 includes the transaction a second time in the same block, 2 in a
    ///         second block; exiting it again at the second position must fail.
    function invalidBlock(uint256 seed, uint256 amount0, uint256 amount1, bool two, uint8 dupMode) external {
        bytes memory txBytes = _inventedTx(seed, amount0, amount1, two);
        bytes32[] memory leaves = new bytes32[](dupMode % 3 == 1 ? 2 : 1);
        for (uint256 i; i < leaves.length; ++i) {
            leaves[i] = TxBuilder.leaf(txBytes);
        }
        (bytes32 root, bytes memory proof) = TxBuilder.rootAndProof(leaves, 0);
        uint256 blknum = _submit(root, true);
        for (uint256 o; o < (two ? 2 : 1); ++o) {
            _exitInvented(txBytes, proof, uint64(blknum * 1e9 + o), block.timestamp, o);
        }
        if (dupMode % 3 == 1) {
            (, bytes memory proof1) = TxBuilder.rootAndProof(leaves, 1);
            _tryDuplicate(txBytes, proof1, uint64(blknum * 1e9 + 10_000), block.timestamp);
        } else if (dupMode % 3 == 2) {
            uint256 blk2 = _submit(root, true);
            _tryDuplicate(txBytes, proof, uint64(blk2 * 1e9), block.timestamp);
        }
    }

    /// @notice A withheld block: the operator commits an invalid transaction's root and keeps
    ///         the content to itself.
    function withheldBlock(uint256 seed, uint256 amount) external {
        bytes memory txBytes = _inventedTx(seed, amount, 0, false);
        (bytes32 root, bytes memory proof) = TxBuilder.single(txBytes);
        uint256 blknum = _submit(root, true);
        withheld.push(Withheld(txBytes, proof, blknum, block.timestamp, false));
    }

    /// @notice The operator reveals a withheld block's content by exiting it, any time later.
    function revealWithheld(uint256 seed) external {
        if (withheld.length == 0) return;
        Withheld storage w = withheld[seed % withheld.length];
        if (w.revealed) return;
        w.revealed = true;
        _exitInvented(w.txBytes, w.proof, uint64(w.blknum * 1e9), w.timestamp, 0);
    }

    /// @notice Mallory deposits (any token) for real. Then `mode` 0: she exits the deposit;
    ///         1: she spends it in a payment the operator includes once or twice (`dup`) and
    ///         exits its outputs, at every position; 2: as 1, and she also exits the spent
    ///         deposit, which a watchtower challenges at once with her signed spend.
    function malloryValid(uint256 tokenSeed, uint256 amount, uint256 split, uint8 mode, bool dup) external {
        address tok = tokens[tokenSeed % 3];
        amount = bound(amount, 2, 1e24);
        Deposit memory d;
        (d.blknum, d.txBytes, d.proof) = _deposit(mallory, tok, amount);
        if (mode % 3 == 0) {
            _startExit(mallory, uint64(d.blknum * 1e9), d.txBytes, d.proof, block.timestamp, 0, Kind.Valid);
            return;
        }
        bytes memory spend = _spendAndExit(uint64(d.blknum * 1e9), tok, amount, bound(split, 1, amount - 1), dup);
        if (mode % 3 == 2) _exitSpentDeposit(d, spend);
    }

    /// @notice Mallory exits her spent deposit; the watchtower saw the spend (it is in a block)
    ///         and challenges at once with her signature.
    function _exitSpentDeposit(Deposit memory d, bytes memory spend) internal {
        uint64 dpos = uint64(d.blknum * 1e9);
        _startExit(mallory, dpos, d.txBytes, d.proof, block.timestamp, 0, Kind.Valid);
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(MALLORY_KEY, rootChain.txSigningHash(spend));
        vm.prank(watchtower);
        rootChain.challengeStandardExit(dpos, spend, 0, abi.encodePacked(r, s, v), watchtower);
        _markChallenged(rootChain.exitIdAt(dpos));
    }

    /// @notice Mallory challenges one of her own live exits with a spend she signs, naming
    ///         herself or a hostile accomplice. The contract must lose at most the share.
    function selfChallenge(uint256 seed, uint256 challengerSeed) external {
        if (malloryPositions.length == 0) return;
        uint256 k = seed % malloryPositions.length;
        uint64 pos = malloryPositions[k];
        malloryPositions[k] = malloryPositions[malloryPositions.length - 1];
        malloryPositions.pop();
        bytes32 exitId = rootChain.exitIdAt(pos);
        if (exitId == 0) return;
        (uint8 status,,) = rootChain.outputExit(exitId);
        if (status != 1) return;
        address challenger = challengerSeed % 3 == 0 ? mallory : accomplices[challengerSeed % 2];
        bytes memory spend = TxBuilder.payment1(pos, challenger, address(0), 1);
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(MALLORY_KEY, rootChain.txSigningHash(spend));
        uint256 balanceBefore = address(rootChain).balance;
        uint256 reservedBefore = rootChain.reserved(address(0));
        uint256 gotBefore = challenger.balance + rootChain.withdrawable(challenger, address(0));
        vm.prank(mallory);
        rootChain.challengeStandardExit(pos, spend, 0, abi.encodePacked(r, s, v), challenger);
        uint256 got = challenger.balance + rootChain.withdrawable(challenger, address(0)) - gotBefore;
        // What left the contract or became owed to the challenger: exactly the share.
        uint256 outflow = balanceBefore - address(rootChain).balance + rootChain.reserved(address(0)) - reservedBefore;
        uint256 share = rootChain.CHALLENGER_SHARE();
        if (got != share || outflow != share) selfChallengeProfited = true;
        _markChallenged(exitId);
    }

    /// @notice The operator switches its token's payout behaviour.
    function setByzMode(uint8 mode) external {
        byz.setMode(ByzantineToken.Mode(mode % 6));
    }

    // ------------------------------------------------------------------ anyone

    /// @notice Time passes and someone processes a queue with a block's worth of gas; the call
    ///         must not revert, must pay honest exits exactly, in key order, and must leave no
    ///         matured exit behind when it stops short of `maxExits`.
    function process(uint256 tokenSeed, uint256 maxExits, uint256 warpBy) public {
        address tok = tokens[tokenSeed % 3];
        maxExits = bound(maxExits, 1, 8);
        vm.warp(block.timestamp + bound(warpBy, 0, PERIOD));
        (uint256[4] memory tokBefore, uint256[4] memory ethBefore) = _honestHoldings(tok);
        vm.recordLogs();
        uint256 processed;
        try rootChain.processExits{gas: PROCESS_GAS_LIMIT}(tok, maxExits) returns (uint256 n) {
            processed = n;
        } catch {
            processReverted = true;
            return;
        }
        uint256[4] memory tokOwed;
        uint256[4] memory ethOwed;
        Vm.Log[] memory logs = vm.getRecordedLogs();
        for (uint256 k; k < logs.length; ++k) {
            if (logs[k].topics[0] != IStandardExitGame.ExitProcessed.selector) continue;
            (, uint256 paid,) = abi.decode(logs[k].data, (address, uint256, bool));
            _onProcessed(logs[k].topics[1], tok, paid, tokOwed, ethOwed);
        }
        (uint256[4] memory tokAfter, uint256[4] memory ethAfter) = _honestHoldings(tok);
        for (uint256 i; i < 4; ++i) {
            // Paid to the wei: what the account holds or may withdraw grew by exactly its due.
            if (tokAfter[i] != tokBefore[i] + tokOwed[i]) honestShortPaid = true;
            if (tok != address(0) && ethAfter[i] != ethBefore[i] + ethOwed[i]) honestShortPaid = true;
        }
        // Stopping short of maxExits means nothing matured is left in the queue.
        if (processed < maxExits) {
            for (uint256 i; i < exits.length; ++i) {
                Exit storage e = exits[i];
                if (e.token == tok && !e.processed && !e.challenged && e.exitableAt <= block.timestamp) {
                    maturedLeftBehind = true;
                }
            }
        }
    }

    /// @notice Drains every queue (after a run).
    function drain() external {
        for (uint256 t; t < 3; ++t) {
            for (uint256 i; i < 100 && !processReverted && rootChain.exitQueueLength(tokens[t]) != 0; ++i) {
                process(t, 8, PERIOD);
            }
        }
    }

    receive() external payable {}

    // ------------------------------------------------------------------ internals

    /// @notice Books one ExitProcessed: count, key order, honest dues and cheating.
    function _onProcessed(
        bytes32 exitId,
        address tok,
        uint256 paid,
        uint256[4] memory tokOwed,
        uint256[4] memory ethOwed
    ) internal {
        if (++processedCount[exitId] > 1) doublePaid = true;
        uint256 idx = exitIndex[exitId];
        if (idx == 0) {
            // An exit the ghost never saw started.
            doublePaid = true;
            return;
        }
        Exit storage e = exits[idx - 1];
        if (e.processed || e.challenged || e.token != tok) {
            doublePaid = true;
            return;
        }
        e.processed = true;
        --liveExits;
        uint256 key = _key(e);
        if (key <= lastKey[tok]) outOfOrder = true;
        lastKey[tok] = key;
        // Priority: no unprocessed honest exit of this token may come before this one.
        for (uint256 i; i < exits.length; ++i) {
            Exit storage h = exits[i];
            if (h.kind == Kind.Honest && h.token == tok && !h.processed && _key(h) < key) outOfOrder = true;
        }
        if (e.kind == Kind.Invalid) {
            if (paid != 0) {
                cheated[tok] = true;
                ++invalidExitsPaid;
            }
            return;
        }
        validLive[tok] -= e.amount;
        if (e.kind != Kind.Honest) return;
        ++honestExitsProcessed;
        if (paid != e.amount) honestShortPaid = true;
        uint256 u = _honestIndex(e.owner);
        tokOwed[u] += e.amount;
        if (tok == address(0)) tokOwed[u] += refund;
        else ethOwed[u] += refund;
    }

    /// @notice Each honest account's holdings of `tok` and of ETH, withdrawable credit included.
    function _honestHoldings(address tok) internal view returns (uint256[4] memory t, uint256[4] memory eth) {
        for (uint256 i; i < 4; ++i) {
            address a = honest[i];
            eth[i] = a.balance + rootChain.withdrawable(a, address(0));
            t[i] = tok == address(0) ? eth[i] : IERC20(tok).balanceOf(a) + rootChain.withdrawable(a, tok);
        }
    }

    function _honestIndex(address a) internal view returns (uint256) {
        for (uint256 i; i < 4; ++i) {
            if (honest[i] == a) return i;
        }
        revert("not honest");
    }

    /// @notice A queue key's order: exit time, then position (spec, docs/CONTRACTS.md).
    function _key(Exit storage e) internal view returns (uint256) {
        return (uint256(e.exitableAt) << 64) | e.pos;
    }

    /// @notice A payment whose input is made up, with one or two outputs of any token and
    ///         amount, owned by mallory or an accomplice.
    function _inventedTx(uint256 seed, uint256 amount0, uint256 amount1, bool two)
        internal
        view
        returns (bytes memory)
    {
        TxBuilder.Out[] memory o = new TxBuilder.Out[](two ? 2 : 1);
        o[0] = TxBuilder.Out(_byzOwner(seed), tokens[(seed >> 8) % 3], bound(amount0, 1, type(uint256).max));
        if (two) {
            o[1] = TxBuilder.Out(_byzOwner(seed >> 16), tokens[(seed >> 24) % 3], bound(amount1, 1, type(uint256).max));
        }
        uint64 fakeInput = TxBuilder.position(1 + (seed >> 32) % 1_000_000, 0, 0);
        return TxBuilder.payment(TxBuilder.one(fakeInput), o);
    }

    function _byzOwner(uint256 seed) internal view returns (address) {
        uint256 k = seed % 3;
        return k == 0 ? mallory : accomplices[k - 1];
    }

    /// @notice Starts the exit of invented output `oindex` by its owner.
    ///         The same invented transaction can come up twice (equal seeds and amounts, in
    ///         another block): its outputs are the same outputs, so the second exit must fail.
    function _exitInvented(bytes memory txBytes, bytes memory proof, uint64 pos, uint256 ts, uint256 oindex) internal {
        (uint8 status,,) = rootChain.outputExit(keccak256(abi.encodePacked(keccak256(txBytes), uint8(oindex))));
        if (status != 0) return _tryDuplicate(txBytes, proof, pos, ts);
        (address owner, address tok, uint256 amount) = _outputOf(txBytes, oindex);
        _startExitAs(owner, tok, amount, pos, txBytes, proof, ts, oindex, Kind.Invalid);
    }

    /// @notice Starts the exit of output `oindex` by `owner` and books it.
    function _startExit(
        address owner,
        uint64 pos,
        bytes memory txBytes,
        bytes memory proof,
        uint256 ts,
        uint256 oindex,
        Kind kind
    ) internal {
        (, address tok, uint256 amount) = _outputOf(txBytes, oindex);
        _startExitAs(owner, tok, amount, pos, txBytes, proof, ts, oindex, kind);
    }

    function _startExitAs(
        address owner,
        address tok,
        uint256 amount,
        uint64 pos,
        bytes memory txBytes,
        bytes memory proof,
        uint256 ts,
        uint256 oindex,
        Kind kind
    ) internal {
        vm.deal(owner, owner.balance + bond);
        vm.prank(owner);
        rootChain.startStandardExit{value: bond}(pos, txBytes, proof, ts);
        bytes32 exitId = keccak256(abi.encodePacked(keccak256(txBytes), uint8(oindex)));
        bool isDeposit = (pos / 1e9) % 1000 != 0;
        uint256 at = block.timestamp + PERIOD;
        if (!isDeposit && ts + 2 * PERIOD > at) at = ts + 2 * PERIOD;
        exits.push(Exit(exitId, tok, owner, amount, pos, uint64(at), kind, false, false));
        exitIndex[exitId] = exits.length;
        ++liveExits;
        if (kind != Kind.Invalid) validLive[tok] += amount;
        if (owner == mallory) malloryPositions.push(pos);
    }

    /// @notice Mallory spends her deposit at `dpos` into two outputs, the operator commits the
    ///         payment (twice in one block when `dup`), and she exits both outputs, then tries
    ///         the duplicate's positions too.
    function _spendAndExit(uint64 dpos, address tok, uint256 amount, uint256 split, bool dup)
        internal
        returns (bytes memory spend)
    {
        spend = TxBuilder.payment2(dpos, mallory, mallory, tok, split, amount - split);
        bytes32[] memory leaves = new bytes32[](dup ? 2 : 1);
        for (uint256 i; i < leaves.length; ++i) {
            leaves[i] = TxBuilder.leaf(spend);
        }
        (bytes32 root, bytes memory proof0) = TxBuilder.rootAndProof(leaves, 0);
        // A real payment: committing it (even twice) is not what makes watchers exit.
        uint256 blknum = _submit(root, false);
        _startExit(mallory, uint64(blknum * 1e9), spend, proof0, block.timestamp, 0, Kind.Valid);
        _startExit(mallory, uint64(blknum * 1e9 + 1), spend, proof0, block.timestamp, 1, Kind.Valid);
        if (dup) {
            (, bytes memory proof1) = TxBuilder.rootAndProof(leaves, 1);
            _tryDuplicate(spend, proof1, uint64(blknum * 1e9 + 10_000), block.timestamp);
            _tryDuplicate(spend, proof1, uint64(blknum * 1e9 + 10_001), block.timestamp);
        }
    }

    /// @notice Tries to exit an already-exited transaction at another position; it must fail.
    function _tryDuplicate(bytes memory txBytes, bytes memory proof, uint64 pos, uint256 ts) internal {
        (address owner,,) = _outputOf(txBytes, pos % 10_000);
        vm.deal(owner, owner.balance + bond);
        vm.prank(owner);
        try rootChain.startStandardExit{value: bond}(pos, txBytes, proof, ts) {
            duplicateExited = true;
        } catch {}
    }

    function _markChallenged(bytes32 exitId) internal {
        Exit storage e = exits[exitIndex[exitId] - 1];
        e.challenged = true;
        --liveExits;
        if (e.kind != Kind.Invalid) validLive[e.token] -= e.amount;
    }

    /// @notice Output `oindex` of a payment with one input, or of a deposit.
    function _outputOf(bytes memory txBytes, uint256 oindex)
        internal
        pure
        returns (address owner, address tok, uint256 amount)
    {
        uint256 numInputs = uint8(txBytes[1]);
        uint256 o = 3 + 8 * numInputs + 72 * oindex;
        assembly {
            let p := add(add(txBytes, 32), o)
            owner := shr(96, mload(p))
            tok := shr(96, mload(add(p, 20)))
            amount := mload(add(p, 40))
        }
    }

    /// @notice A deposit by `owner` for itself (the operator commits an empty block first
    ///         when the interval is crowded, so no deposit pays a fee).
    function _deposit(address owner, address tok, uint256 amount)
        internal
        returns (uint256 blknum, bytes memory dtx, bytes memory proof)
    {
        if (rootChain.nextDepositBlock() % 1000 == 999 || rootChain.depositFee() != 0) {
            vm.prank(operator);
            rootChain.submitBlock(emptyRoot);
        }
        blknum = rootChain.nextDepositBlock();
        if (tok == address(0)) {
            vm.deal(owner, owner.balance + amount);
            vm.prank(owner);
            rootChain.depositETH{value: amount}(owner);
        } else {
            ERC20Mock(tok).mint(owner, amount);
            vm.prank(owner);
            IERC20(tok).approve(address(rootChain), amount);
            vm.prank(owner);
            rootChain.depositToken(owner, tok, amount);
        }
        dtx = TxBuilder.deposit(blknum, owner, tok, amount);
        (, proof) = TxBuilder.single(dtx);
    }

    /// @notice The operator commits a root; watchers see an invalid or withheld one.
    function _submit(bytes32 root, bool invalid) internal returns (uint256 blknum) {
        blknum = rootChain.nextChildBlock();
        vm.prank(operator);
        rootChain.submitBlock(root);
        if (invalid && firstInvalidAt == 0) firstInvalidAt = block.timestamp;
    }
}
