/*
** Performance-region markers for Cortex-M firmware run under QEMU.
**
**   perf_begin();  work();  perf_end();
**
** With the insncount QEMU plugin (port/qemu-plugin, `run.sh -c`), every
** begin/end pair (numbered 1, 2, ... in execution order) is reported as the
** exact number of guest instructions executed in between. An empty region
** reports 2 (the `bx lr` of perf_begin and the `bl perf_end`). Without the
** plugin these are empty functions. Keep the measured work in a function
** call: the compiler may move register-only code across the markers.
*/
#ifndef PERF_H
#define PERF_H

void perf_begin(void);
void perf_end(void);

#endif
