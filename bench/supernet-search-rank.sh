#!/usr/bin/env bash
# Does the supernet rank (issue 18)? Over the default search's cell (80 px x 0.9), target and data: architectures
# that fit, spread over the feasible MAC range, trained stand-alone; a supernet trained with supernet.* (override
# with --set); Kendall tau-b and Spearman rho between inherited and stand-alone val mAP@0.5 with bootstrap 90 %
# intervals and the top-5 overlap; then GA, aging and random search on the trained supernet at equal budget, each
# best also trained stand-alone. Writes docs/bench/supernet-rank.json (SUPERNET_RANK_RECORD to write elsewhere).
# Resumable: every finished training, the supernet (per epoch) and every search are cached under
# bench-results/supernet-rank/ (--cache DIR); run it again until it completes (hours on 2 cores).
#   bench/supernet-search-rank.sh [--architectures 16] [--standalone-epochs 20] [--standalone-seeds 1]
#       [--budget 64] [--seeds 3] [--searchers ga,aging,random]   (which searchers, in the order their units run)
#       [--cell 80 0.9] [--set supernet.epochs=30 --set supernet.weight-sharing=separable-in-mbconv ...]
#       [--supernet-only]   (train or load the supernet and score its ends; nothing else)
#       [--supernet-seed N] (train the supernet with the N-th derived seed instead of the configuration's)
#       [--cached-only]     (rank only the architectures already trained stand-alone, list only the searches whose
#                           best is trained stand-alone too; runs nothing new: interim record)
#       [--standalone-from docs/bench/supernet-rank-….json]   (seed the stand-alone cache from an earlier record made
#                           with the same data and training settings; repeatable)
#       [--adapt 64@0.001]  (rank again after that many adaptation steps per subnet from its inherited weights;
#                           repeatable)
#       [--adapt-scratch 128@0.001]  (the control: the same steps from freshly initialised weights; repeatable)
#       (either setting takes ,seed=N at the end, e.g. 128@0.001,seed=2: the same steps with another batch order and,
#       from scratch, other initial weights)
#   Two cores, once the supernet is cached: start it twice on the same cache (different SUPERNET_RANK_RECORD); the two
#   share the stand-alone trainings and the searches through UNIT.claim files and write the same figures.
#   --standalone-seeds N trains each architecture with N training seeds: the ground truth is their mean, and the
#   record gives how well two seeds' rankings agree (the ceiling for the inherited ranking).
set -euo pipefail
BENCH_HEAP=12g exec "$(dirname "$0")/driver-main.sh" io.sparknas.bench.SupernetRankBenchmark \
  "${SUPERNET_RANK_RECORD:-docs/bench/supernet-rank.json}" "$@"
