// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Test} from "forge-std/Test.sol";

import {RootChain} from "../../src/RootChain.sol";
import {StandardExitGame} from "../../src/exits/StandardExitGame.sol";
import {IRootChain} from "../../src/interfaces/IRootChain.sol";
import {ERC20Mock} from "../../src/test-helpers/ERC20Mock.sol";
import {MerkleLib} from "../../src/lib/MerkleLib.sol";
import {TxBuilder} from "../shared/TxBuilder.sol";
import {Modules} from "../shared/Modules.sol";

/// @title Gas_Test
/// @notice The gas of each operation with 1,000 ETH exits already queued (issue 2 targets).
///         Run under the `gas` profile (`isolate = true`): every top-level call is then its
///         own transaction, so each figure is the WHOLE transaction's gasUsed (21,000 base,
///         calldata, cold storage, refunds), like a receipt on a real chain. Each test makes
///         exactly ONE measured call after setUp, records it in snapshots/Gas_Test.json and
///         asserts the target. Nothing is fuzzed, so
///         `FOUNDRY_PROFILE=gas forge snapshot --check --match-contract Gas_Test` is
///         deterministic. Under other profiles (not isolated, execution gas only) the tests
///         still run the operations but neither record nor assert figures.
contract Gas_Test is Test {
    uint256 internal constant QUEUED = 1_000;
    uint256 internal constant MIN_EXIT_PERIOD = 1 weeks;
    /// @notice Bonds repay gas at 500 gwei, so the bond is 0.1 ether (as in CommonTest).
    uint256 internal constant BOND_GAS_PRICE = 500 gwei;
    uint256 internal constant EXIT_BOND = 0.1 ether;
    uint256 internal constant T0 = 1_700_000_000;
    uint256 internal constant KEY_BASE = 0x1000;

    IRootChain internal rootChain;
    ERC20Mock internal token;
    address internal operator = makeAddr("operator");
    address internal user = makeAddr("user");
    address internal processor = makeAddr("processor");

    // A 1-in/2-out payment to `payee` in child block 1000, with a realistic proof (16
    // non-zero siblings, as in a full block).
    address internal payee;
    bytes internal paymentTx;
    bytes internal paymentProof;
    // An old deposit of `payee`, for the worst-case insert (sifts to the root).
    bytes internal oldDepositTx;
    uint256 internal oldDepositBlk;
    bytes internal depositProof;
    // The first queued exit and its spend, for the challenge.
    uint64 internal firstQueued;
    bytes32 internal firstExitId;
    bytes internal spendTx;
    bytes internal spendSig;

    /// @notice StandardExitGame's gas figures that size the bond (read in setUp).
    uint256 internal challengeGas;
    uint256 internal processGas;

    /// @notice Whether this run is the isolated `gas` profile.
    bool internal measuring;

    function setUp() public {
        measuring = keccak256(bytes(vm.envOr("FOUNDRY_PROFILE", string("default")))) == keccak256("gas");
        vm.warp(T0);
        StandardExitGame game = new StandardExitGame(MIN_EXIT_PERIOD, BOND_GAS_PRICE);
        rootChain = IRootChain(
            address(new RootChain(operator, address(game), Modules.inFlight(MIN_EXIT_PERIOD, BOND_GAS_PRICE)))
        );
        assertEq(rootChain.EXIT_BOND(), EXIT_BOND);
        challengeGas = game.CHALLENGE_GAS();
        processGas = game.PROCESS_GAS();
        token = new ERC20Mock("Test", "TST");
        vm.deal(user, 100 ether);
        vm.deal(processor, 1 ether);
        token.mint(user, 100 ether);
        vm.prank(user);
        token.approve(address(rootChain), 50 ether);
        // A first deposit of the token, so the measured one is a "2nd+ deposit".
        vm.prank(user);
        rootChain.depositToken(user, address(token), 1 ether);

        for (uint256 k; k < 16; ++k) {
            depositProof = abi.encodePacked(depositProof, MerkleLib.zeroHash(k));
        }
        payee = vm.addr(KEY_BASE - 1);
        vm.deal(payee, 2 ether);
        oldDepositBlk = rootChain.nextDepositBlock();
        vm.prank(payee);
        rootChain.depositETH{value: 1 ether}(payee);
        oldDepositTx = TxBuilder.deposit(oldDepositBlk, payee, address(0), 1 ether);
        _commitPayment();

        // 1,000 exits of 1,000 owners, one second apart.
        vm.warp(T0 + 1 days);
        for (uint256 i; i < QUEUED; ++i) {
            address owner = vm.addr(KEY_BASE + i);
            vm.deal(owner, 1 ether);
            uint256 blknum = rootChain.nextDepositBlock();
            // A child block before the congestion fee starts: every deposit here is free.
            if (rootChain.depositFee() != 0) {
                vm.prank(operator);
                rootChain.submitBlock(keccak256(abi.encode(blknum)));
                blknum = rootChain.nextDepositBlock();
            }
            vm.prank(owner);
            rootChain.depositETH{value: 0.5 ether}(owner);
            uint64 pos = uint64(blknum * 1e9);
            if (i == 0) {
                firstQueued = pos;
                firstExitId = keccak256(
                    abi.encodePacked(keccak256(TxBuilder.deposit(blknum, owner, address(0), 0.5 ether)), uint8(0))
                );
            }
            vm.prank(owner);
            rootChain.startStandardExit{value: EXIT_BOND}(
                pos, TxBuilder.deposit(blknum, owner, address(0), 0.5 ether), depositProof, block.timestamp
            );
            vm.warp(block.timestamp + 1);
        }
        assertEq(rootChain.exitQueueLength(address(0)), QUEUED);

        spendTx = TxBuilder.payment2(firstQueued, user, vm.addr(KEY_BASE), address(0), 0.2 ether, 0.3 ether);
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(KEY_BASE, rootChain.txSigningHash(spendTx));
        spendSig = abi.encodePacked(r, s, v);
    }

    function _commitPayment() internal {
        paymentTx = TxBuilder.payment2(uint64(oldDepositBlk * 1e9), payee, user, address(0), 0.6 ether, 0.4 ether);
        bytes32 node = TxBuilder.leaf(paymentTx);
        for (uint256 k; k < 16; ++k) {
            bytes32 sibling = keccak256(abi.encode("sibling", k));
            paymentProof = abi.encodePacked(paymentProof, sibling);
            node = TxBuilder.node(node, sibling); // index 0: always the left child
        }
        vm.prank(operator);
        rootChain.submitBlock(node);
    }

    /// @notice Records the last call's gas and checks it against `target` (0: no target).
    function _record(string memory name, uint256 target) internal returns (uint256 gasUsed) {
        if (!measuring) return 0;
        gasUsed = vm.snapshotGasLastCall(name);
        if (target != 0) assertLe(gasUsed, target, name);
    }

    function test_gas_submitBlock() public {
        vm.prank(operator);
        rootChain.submitBlock(keccak256("root"));
        _record("submitBlock", 55_000);
        assertEq(
            rootChain.blocks(rootChain.nextChildBlock() - 1000),
            keccak256(abi.encode(keccak256("root"), block.timestamp))
        );
    }

    function test_gas_depositETH() public {
        vm.prank(user);
        rootChain.depositETH{value: 1 ether}(user);
        _record("depositETH", 60_000);
        assertEq(address(rootChain).balance, 2 ether + QUEUED * (0.5 ether + EXIT_BOND));
    }

    function test_gas_depositToken() public {
        vm.prank(user);
        rootChain.depositToken(user, address(token), 1 ether);
        _record("depositToken", 90_000);
        assertEq(token.balanceOf(address(rootChain)), 2 ether);
    }

    function test_gas_startStandardExit() public {
        vm.prank(payee);
        rootChain.startStandardExit{value: EXIT_BOND}(uint64(1000 * 1e9), paymentTx, paymentProof, T0);
        _record("startStandardExit", 150_000);
        assertEq(rootChain.exitQueueLength(address(0)), QUEUED + 1);
    }

    function test_gas_startStandardExit_worstCaseInsert() public {
        // Back before every queued exit: the new key sifts up all ten levels to the root.
        vm.warp(T0);
        vm.prank(payee);
        rootChain.startStandardExit{value: EXIT_BOND}(uint64(oldDepositBlk * 1e9), oldDepositTx, depositProof, T0);
        _record("startStandardExit_worstCaseInsert", 150_000);
        (, uint64 head,) = rootChain.nextExit(address(0));
        assertEq(head, uint64(oldDepositBlk * 1e9));
    }

    function test_gas_challengeStandardExit() public {
        vm.prank(user);
        rootChain.challengeStandardExit(firstQueued, spendTx, 0, spendSig, user);
        uint256 gasUsed = _record("challengeStandardExit", 80_000);
        // The challenger's share repays a challenge at BOND_GAS_PRICE only if a challenge
        // (the whole transaction) costs at most CHALLENGE_GAS.
        if (measuring) assertLe(gasUsed, challengeGas, "challenge gas above CHALLENGE_GAS");
        (uint8 status,,) = rootChain.outputExit(firstExitId);
        assertEq(status, 2);
    }

    function test_gas_processExits_batchOf10() public {
        // Exactly the ten oldest exits have matured.
        vm.warp(T0 + 1 days + MIN_EXIT_PERIOD + 9);
        vm.prank(processor);
        uint256 n = rootChain.processExits(address(0), 10);
        uint256 gasUsed = _record("processExits_batchOf10", 600_000);
        if (measuring) {
            vm.snapshotValue("processExits_perExit", gasUsed / 10);
            // The bounty repays processing at BOND_GAS_PRICE only if one exit of a batch
            // (its share of the whole transaction, base cost included) costs at most PROCESS_GAS.
            assertLe(gasUsed / 10, processGas, "per-exit processing gas above PROCESS_GAS");
        }
        assertEq(n, 10);
        assertEq(processor.balance, 1 ether + 10 * rootChain.PROCESS_BOUNTY());
    }

    function test_gas_processExits_one() public {
        vm.warp(T0 + 1 days + MIN_EXIT_PERIOD);
        vm.prank(processor);
        uint256 n = rootChain.processExits(address(0), 1);
        _record("processExits_one", 0);
        assertEq(n, 1);
    }
}
