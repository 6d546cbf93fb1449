// armnn_check.cc — an outside opinion on .tflite files: Arm NN's TfLite
// parser (which runs the flatbuffers verifier, alignment included) loads the
// model and Arm NN's reference backend runs it on deterministic inputs.
//
//   armnn_check A.tflite             load and run A
//   armnn_check A.tflite B.tflite    run both on the same inputs; outputs
//                                    must be byte-identical
//
// Host-only developer check, not part of the build or CI: needs Debian's
// libarmnntfliteparser-dev and libarmnn-cpuref-backend22 (see README.md).
#include <armnn/ArmNN.hpp>
#include <armnnTfLiteParser/ITfLiteParser.hpp>

#include <cstdio>
#include <stdexcept>
#include <vector>

typedef std::vector<uint8_t> Bytes;

static Bytes read_file(const char *path) {
  Bytes d;
  FILE *f = fopen(path, "rb");
  if (!f) throw std::runtime_error(std::string("cannot open ") + path);
  int c;
  while ((c = fgetc(f)) != EOF) d.push_back((uint8_t)c);
  fclose(f);
  return d;
}

// Outputs of the model at `path` for inputs made from a fixed seed.
static std::vector<Bytes> run(const char *path, armnn::IRuntime *rt) {
  armnnTfLiteParser::ITfLiteParserPtr parser =
      armnnTfLiteParser::ITfLiteParser::Create();
  armnn::INetworkPtr net = parser->CreateNetworkFromBinary(read_file(path));
  armnn::IOptimizedNetworkPtr opt =
      armnn::Optimize(*net, {armnn::Compute::CpuRef}, rt->GetDeviceSpec());
  armnn::NetworkId id;
  if (rt->LoadNetwork(id, std::move(opt)) != armnn::Status::Success)
    throw std::runtime_error("LoadNetwork failed");
  std::vector<std::string> in_names = parser->GetSubgraphInputTensorNames(0);
  std::vector<std::string> out_names = parser->GetSubgraphOutputTensorNames(0);
  std::vector<Bytes> ins(in_names.size()), outs(out_names.size());
  armnn::InputTensors it;
  armnn::OutputTensors ot;
  uint32_t s = 12345u;
  for (size_t i = 0; i < in_names.size(); i++) {
    armnnTfLiteParser::BindingPointInfo bi =
        parser->GetNetworkInputBindingInfo(0, in_names[i]);
    ins[i].resize(bi.second.GetNumBytes());
    if (bi.second.GetDataType() == armnn::DataType::Float32) {
      float *f = reinterpret_cast<float *>(ins[i].data());
      for (unsigned k = 0; k < bi.second.GetNumElements(); k++) {
        s = s * 1103515245u + 12345u;
        f[k] = (float)((s >> 8) % 2000) / 1000.0f - 1.0f;
      }
    } else {
      for (size_t k = 0; k < ins[i].size(); k++) {
        s = s * 1103515245u + 12345u;
        ins[i][k] = (uint8_t)(s >> 16);
      }
    }
    it.push_back({bi.first, armnn::ConstTensor(bi.second, ins[i].data())});
  }
  for (size_t i = 0; i < out_names.size(); i++) {
    armnnTfLiteParser::BindingPointInfo bo =
        parser->GetNetworkOutputBindingInfo(0, out_names[i]);
    outs[i].resize(bo.second.GetNumBytes());
    ot.push_back({bo.first, armnn::Tensor(bo.second, outs[i].data())});
  }
  if (rt->EnqueueWorkload(id, it, ot) != armnn::Status::Success)
    throw std::runtime_error("EnqueueWorkload failed");
  rt->UnloadNetwork(id);
  return outs;
}

int main(int argc, char **argv) {
  if (argc != 2 && argc != 3) {
    fprintf(stderr, "usage: %s A.tflite [B.tflite]\n", argv[0]);
    return 2;
  }
  armnn::IRuntime::CreationOptions options;
  armnn::IRuntimePtr rt = armnn::IRuntime::Create(options);
  try {
    std::vector<Bytes> a = run(argv[1], rt.get());
    size_t n = 0;
    for (size_t i = 0; i < a.size(); i++) n += a[i].size();
    if (argc == 2) {
      printf("ok    %s: %zu outputs, %zu bytes\n", argv[1], a.size(), n);
      return 0;
    }
    std::vector<Bytes> b = run(argv[2], rt.get());
    if (a != b) {
      printf("DIFF  %s vs %s: outputs differ\n", argv[1], argv[2]);
      return 1;
    }
    printf("same  %s: %zu output bytes identical to %s\n", argv[2], n,
           argv[1]);
  } catch (std::exception &e) {
    printf("FAIL  %s: %s\n", argv[argc - 1], e.what());
    return 1;
  }
  return 0;
}
