// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Test} from "forge-std/Test.sol";

import {RootChain} from "../../src/RootChain.sol";
import {StandardExitGame} from "../../src/exits/StandardExitGame.sol";
import {InFlightExitBase} from "../../src/exits/inflight/InFlightExitBase.sol";
import {InFlightExitChallenges} from "../../src/exits/inflight/InFlightExitChallenges.sol";
import {InFlightExitGame} from "../../src/exits/inflight/InFlightExitGame.sol";
import {IInFlightExitTypes} from "../../src/interfaces/IInFlightExitGame.sol";
import {IRootChain} from "../../src/interfaces/IRootChain.sol";
import {TxBuilder} from "../shared/TxBuilder.sol";

/// @title InFlightGas_Test
/// @notice The gas of each in-flight exit operation (issue 10's table), as whole transactions.
///         Run under the `gas` profile (`isolate = true`) so every top-level call is its own
///         transaction and `vm.snapshotGasLastCall` records its gasUsed (21,000 base,
///         calldata with the EIP-7623 floor, cold storage, refunds):
///         `FOUNDRY_PROFILE=gas forge snapshot --match-path 'solidity/test/gas/InFlightGas.t.sol'`.
///         Each test makes exactly ONE measured call (the last) and asserts its target. Every
///         input comes from its own child block with a realistic 16-sibling proof (random
///         hashes, as in a full block), every signer is a distinct account, and amounts are
///         non-round. Under other profiles the operations run but nothing is recorded.
contract InFlightGas_Test is Test {
    uint256 internal constant MEP = 1 weeks;
    uint256 internal constant BOND_GAS_PRICE = 500 gwei;
    uint256 internal constant T0 = 1_700_000_000;
    uint256 internal constant KEY_BASE = 0x2000;

    IRootChain internal rootChain;
    InFlightExitGame internal ifeGame;
    address internal operator = makeAddr("operator");
    address internal processor = makeAddr("processor");
    address internal watcher = makeAddr("watcher");
    bool internal measuring;

    /// @notice Funding transactions: fund[k] pays 1.234… ETH to owner k, alone in its child block.
    bytes[8] internal fund;
    bytes[8] internal fundProof;
    uint64[8] internal fundPos;
    uint256 internal fundTimestamp;

    /// @notice The 1-in/1-out in-flight tx (spends fund[0], pays receiver) and its inclusion.
    bytes internal ife11;
    bytes internal ife11Proof;
    uint64 internal ife11Pos;
    /// @notice A competitor of ife11 (owner 0 double-spends fund[0]), included after it.
    bytes internal competitor;
    bytes internal competitorProof;
    uint64 internal competitorPos;
    uint256 internal blocksTimestamp;

    function setUp() public {
        measuring = keccak256(bytes(vm.envOr("FOUNDRY_PROFILE", string("default")))) == keccak256("gas");
        vm.warp(T0);
        StandardExitGame std = new StandardExitGame(MEP, BOND_GAS_PRICE);
        InFlightExitChallenges chal = new InFlightExitChallenges(MEP, BOND_GAS_PRICE);
        ifeGame = new InFlightExitGame(MEP, BOND_GAS_PRICE, address(chal));
        rootChain = IRootChain(address(new RootChain(operator, address(std), address(ifeGame))));
        for (uint256 k; k < 10; ++k) {
            vm.deal(_user(k), 10 ether);
        }
        vm.deal(watcher, 1 ether);
        vm.deal(processor, 1 ether);
        // Funds in the vault for the payouts.
        vm.prank(_user(9));
        rootChain.depositETH{value: 5 ether}(_user(9));

        fundTimestamp = block.timestamp;
        for (uint256 k; k < 8; ++k) {
            uint64 from = uint64((k + 1) * 1e9 + 1); // some earlier output; not checked on chain
            fund[k] = TxBuilder.payment1(from, _user(k), address(0), 1.234567891 ether);
            (fundPos[k], fundProof[k]) = _commit(fund[k], k);
        }
        ife11 = TxBuilder.payment1(fundPos[0], _user(8), address(0), 1.234567891 ether);
        competitor = TxBuilder.payment1(fundPos[0], watcher, address(0), 1.234567891 ether);
        vm.warp(T0 + 1 hours);
        blocksTimestamp = block.timestamp;
        (ife11Pos, ife11Proof) = _commit(ife11, 100);
        (competitorPos, competitorProof) = _commit(competitor, 101);
    }

    function _user(uint256 k) internal pure returns (address) {
        return vm.addr(KEY_BASE + k);
    }

    /// @notice Commits a child block holding `txBytes` at index 0 under 16 random siblings.
    function _commit(bytes memory txBytes, uint256 salt) internal returns (uint64 pos, bytes memory proof) {
        bytes32 node = TxBuilder.leaf(txBytes);
        for (uint256 i; i < 16; ++i) {
            bytes32 sibling = keccak256(abi.encode("sibling", salt, i));
            proof = abi.encodePacked(proof, sibling);
            node = TxBuilder.node(node, sibling);
        }
        pos = uint64(rootChain.nextChildBlock() * 1e9);
        vm.prank(operator);
        rootChain.submitBlock(node);
    }

    function _sign(uint256 k, bytes memory txBytes) internal view returns (bytes memory) {
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(KEY_BASE + k, rootChain.txSigningHash(txBytes));
        return abi.encodePacked(r, s, v);
    }

    /// @notice Start arguments of a payment spending fund[first .. first+n-1] into n outputs.
    function _startArgs(uint256 first, uint256 n)
        internal
        view
        returns (IInFlightExitTypes.StartArgs memory a, address starter)
    {
        uint64[] memory ins = new uint64[](n);
        TxBuilder.Out[] memory outs = new TxBuilder.Out[](n);
        for (uint256 i; i < n; ++i) {
            ins[i] = fundPos[first + i];
            outs[i] = TxBuilder.Out(_user(8 - i), address(0), 1.234567891 ether - 1_000_000 * (i + 1));
        }
        a.inFlightTx = TxBuilder.payment(ins, outs);
        a.inputTxs = new bytes[](n);
        a.inputUtxoPos = ins;
        a.inputProofs = new bytes[](n);
        a.inputBlockTimestamps = new uint256[](n);
        a.inputSignatures = new bytes[](n);
        for (uint256 i; i < n; ++i) {
            a.inputTxs[i] = fund[first + i];
            a.inputProofs[i] = fundProof[first + i];
            a.inputBlockTimestamps[i] = fundTimestamp;
            a.inputSignatures[i] = _sign(first + i, a.inFlightTx);
        }
        starter = _user(first);
    }

    /// @notice The 1-in/1-out in-flight exit, started (not measured).
    function _startIfe11() internal returns (bytes32 exitId) {
        IInFlightExitTypes.StartArgs memory a;
        (a,) = _startArgs(0, 1);
        a.inFlightTx = ife11;
        a.inputSignatures[0] = _sign(0, ife11);
        uint256 bond = rootChain.IFE_BOND();
        vm.prank(_user(0));
        rootChain.startInFlightExit{value: bond}(a);
        return keccak256(ife11);
    }

    function _piggybackReceiver() internal {
        uint256 bond = rootChain.PIGGYBACK_BOND();
        vm.prank(_user(8));
        rootChain.piggybackInFlightExitOnOutput{value: bond}(ife11, 0);
    }

    function _record(string memory name, uint256 target) internal returns (uint256 gasUsed) {
        if (!measuring) return 0;
        gasUsed = vm.snapshotGasLastCall(name);
        if (target != 0) assertLe(gasUsed, target, name);
    }

    function _measureStart(uint256 first, uint256 n, string memory name, uint256 target) internal {
        (IInFlightExitTypes.StartArgs memory a, address starter) = _startArgs(first, n);
        uint256 bond = rootChain.IFE_BOND();
        vm.prank(starter);
        rootChain.startInFlightExit{value: bond}(a);
        _record(name, target);
        assertEq(rootChain.inFlightExit(keccak256(a.inFlightTx)).numInputs, n);
    }

    function test_gas_startInFlightExit_1in1out() public {
        _measureStart(0, 1, "startInFlightExit_1in1out", 290_000);
    }

    function test_gas_startInFlightExit_2in2out() public {
        _measureStart(1, 2, "startInFlightExit_2in2out", 500_000);
    }

    function test_gas_startInFlightExit_4in4out() public {
        _measureStart(3, 4, "startInFlightExit_4in4out", 965_000);
    }

    function test_gas_piggyback_first() public {
        _startIfe11();
        _piggybackReceiver();
        _record("piggybackInFlightExit_first", 200_000);
        assertEq(rootChain.exitQueueLength(address(0)), 1);
    }

    function test_gas_piggyback_later() public {
        bytes32 exitId = _startIfe11();
        _piggybackReceiver();
        uint256 bond = rootChain.PIGGYBACK_BOND();
        vm.prank(_user(0));
        rootChain.piggybackInFlightExitOnInput{value: bond}(exitId, 0, fund[0]);
        _record("piggybackInFlightExit_later", 145_000);
        assertEq(rootChain.inFlightExit(exitId).piggybacked, 0x11);
    }

    function _canonicity(bytes32 exitId) internal view returns (IInFlightExitTypes.CanonicityChallenge memory c) {
        c.exitId = exitId;
        c.inputTx = fund[0];
        c.competingTx = competitor;
        c.competingTxPos = competitorPos;
        c.competingProof = competitorProof;
        c.competingBlockTimestamp = blocksTimestamp;
        c.competingSignature = _sign(0, competitor);
        c.challenger = watcher;
    }

    function test_gas_challengeInFlightExitNotCanonical() public {
        bytes32 exitId = _startIfe11();
        IInFlightExitTypes.CanonicityChallenge memory c = _canonicity(exitId);
        vm.prank(watcher);
        rootChain.challengeInFlightExitNotCanonical(c);
        uint256 gasUsed = _record("challengeInFlightExitNotCanonical", 185_000);
        // The canonicity share repays a challenge at BOND_GAS_PRICE.
        if (measuring) assertLe(gasUsed, InFlightExitBase(address(ifeGame)).CANONICITY_GAS(), "above CANONICITY_GAS");
        assertFalse(rootChain.inFlightExit(exitId).canonical);
    }

    function test_gas_respondToNonCanonicalChallenge() public {
        bytes32 exitId = _startIfe11();
        IInFlightExitTypes.CanonicityChallenge memory c = _canonicity(exitId);
        vm.prank(watcher);
        rootChain.challengeInFlightExitNotCanonical(c);
        vm.prank(_user(8));
        rootChain.respondToNonCanonicalChallenge(ife11, ife11Pos, ife11Proof, blocksTimestamp);
        _record("respondToNonCanonicalChallenge", 48_000);
        assertTrue(rootChain.inFlightExit(exitId).canonical);
    }

    function test_gas_challengeInFlightExitInputSpent() public {
        bytes32 exitId = _startIfe11();
        uint256 bond = rootChain.PIGGYBACK_BOND();
        vm.prank(_user(0));
        rootChain.piggybackInFlightExitOnInput{value: bond}(exitId, 0, fund[0]);
        bytes memory sig = _sign(0, competitor);
        vm.prank(watcher);
        rootChain.challengeInFlightExitInputSpent(exitId, 0, competitor, 0, sig, watcher);
        uint256 gasUsed = _record("challengeInFlightExitInputSpent", 188_000);
        if (measuring) {
            assertLe(gasUsed, InFlightExitBase(address(ifeGame)).SPENT_CHALLENGE_GAS(), "above SPENT_CHALLENGE_GAS");
        }
        assertEq(rootChain.inFlightExit(exitId).piggybacked, 0);
    }

    function test_gas_challengeInFlightExitOutputSpent() public {
        bytes32 exitId = _startIfe11();
        _piggybackReceiver();
        // The receiver spent its output (1-in/2-out, the usual shape).
        bytes memory spend = TxBuilder.payment2(ife11Pos, watcher, _user(8), address(0), 0.5 ether, 0.734567891 ether);
        IInFlightExitTypes.OutputSpentChallenge memory c;
        c.inFlightTx = ife11;
        c.inFlightTxPos = ife11Pos;
        c.inFlightTxProof = ife11Proof;
        c.blockTimestamp = blocksTimestamp;
        c.spendingTx = spend;
        c.signature = _sign(8, spend);
        c.challenger = watcher;
        vm.prank(watcher);
        rootChain.challengeInFlightExitOutputSpent(c);
        uint256 gasUsed = _record("challengeInFlightExitOutputSpent", 199_000);
        if (measuring) {
            assertLe(gasUsed, InFlightExitBase(address(ifeGame)).SPENT_CHALLENGE_GAS(), "above SPENT_CHALLENGE_GAS");
        }
        assertEq(rootChain.inFlightExit(exitId).piggybacked, 0);
    }

    function test_gas_processInFlightExit_canonical1in1out() public {
        bytes32 exitId = _startIfe11();
        _piggybackReceiver();
        vm.warp(rootChain.inFlightExit(exitId).exitableAt);
        vm.prank(processor);
        rootChain.processExits(address(0), 1);
        uint256 gasUsed = _record("processInFlightExit_canonical1in1out", 262_000);
        // One settled piggyback and one finalized exit: two bounties repay the processing.
        if (measuring) {
            assertLe(gasUsed, 2 * InFlightExitBase(address(ifeGame)).IFE_PROCESS_GAS(), "above 2 * IFE_PROCESS_GAS");
        }
        assertTrue(rootChain.inFlightExit(exitId).finalized);
        assertEq(
            _user(8).balance,
            10 ether - rootChain.PIGGYBACK_BOND() + 1.234567891 ether + 2 * rootChain.SPENT_CHALLENGER_SHARE()
        );
    }
}
