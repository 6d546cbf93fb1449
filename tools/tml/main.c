/*
** tml — the TML command: inspect, plan, compile and run TFLite models.
*/
#include <stdio.h>
#include <string.h>

#include "tml_cli.h"

static void usage(FILE *out) {
  fputs("usage: tml COMMAND [ARGS]\n"
        "\n"
        "  info MODEL [--json]          operators, tensors, parameters, MACs,\n"
        "                               arena bytes\n"
        "  info MODEL --ops             compiler flags that link only the\n"
        "                               model's operators into an interpreter\n"
        "  run MODEL --input IN --output OUT [--repeat N] [--batch N]\n"
        "      [--threads T]            run the model on the raw input bytes IN\n"
        "                               (all inputs concatenated), write all\n"
        "                               outputs concatenated to OUT; IN may\n"
        "                               hold a batch of N inputs (N outputs)\n"
        "  bench MODEL [--json] [--repeat N] [--warmup N] [--zero]\n"
        "                               median invoke latency, MACs, MAC/s\n"
        "  plan MODEL [--json] [--svg FILE] [--kernels SET]\n"
        "                               the arena plan: offsets, sizes, lifetimes\n"
        "  compile MODEL -o DIR [--name NAME] [--kernels SET]\n"
        "                               write the model as C: DIR/NAME.c, NAME.h\n"
        "                               (SET: the device's kernels, whose scratch\n"
        "                               the plan reserves: portable, arm-dsp or\n"
        "                               any, the default)\n"
        "  eval MODEL --images FILE --labels FILE [--scale S] [--count N]\n"
        "       [--classes FILE]        classification accuracy over uint8\n"
        "                               samples (value * S is the real input)\n"
        "  version                      print the version\n",
        out);
}

int main(int argc, char **argv) {
  if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") ||
      !strcmp(argv[1], "help")) {
    usage(argc < 2 ? stderr : stdout);
    return argc < 2 ? 2 : 0;
  }
  if (!strcmp(argv[1], "info")) return cmd_info(argc - 1, argv + 1);
  if (!strcmp(argv[1], "run")) return cmd_run(argc - 1, argv + 1);
  if (!strcmp(argv[1], "bench")) return cmd_bench(argc - 1, argv + 1);
  if (!strcmp(argv[1], "plan")) return cmd_plan(argc - 1, argv + 1);
  if (!strcmp(argv[1], "compile")) return cmd_compile(argc - 1, argv + 1);
  if (!strcmp(argv[1], "eval")) return cmd_eval(argc - 1, argv + 1);
  if (!strcmp(argv[1], "version")) {
    printf("tml %s\n", TML_VERSION);
    return 0;
  }
  cli_errorf("unknown command '%s'", argv[1]);
  usage(stderr);
  return 2;
}
