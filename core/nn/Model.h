#pragma once
#include "data/Dataset.h"
#include "graph/Graph.h"
#include "graph/LayerRegistry.h"
#include "io/Safetensors.h"
#include "util/Json.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace nc {

struct ModelImpl; // torch lives here (nn/GraphNet.h), never in this header
struct SafetensorsFile;

// A compiled network and its weights, plus what a user needs to run it: input shape, class
// names and the normalisation it was trained with. Parameters are named `<nodeId>.<name>`.
class Model {
public:
    // Compiles the graph for inputs of `info`'s shape; throws nc::Error listing the graph's
    // problems when it cannot work. Weights are initialised from `seed`.
    static Model compile(const Graph& graph, const DatasetInfo& info, std::uint64_t seed);
    static Model load(const std::string& ncmodelPath); // throws nc::Error
    // The same from a file already read (`what` names it in messages).
    static Model fromSafetensors(const SafetensorsFile& file, const std::string& what);
    void save(const std::string& ncmodelPath) const;   // atomic

    Model(Model&&) noexcept;
    Model& operator=(Model&&) noexcept;
    ~Model();

    const Graph& graph() const;
    const Shape& inputShape() const;
    const std::vector<std::string>& classNames() const;
    const Normalization& normalization() const;
    void setNormalization(const Normalization& n);
    const InputAppearance& inputAppearance() const; // of the training images; unknown for older files
    void setInputAppearance(const InputAppearance& a);
    Json& metadata(); // metrics, dataset and anything else stored with the file
    const Json& metadata() const;

    std::vector<std::string> stateNames() const; // parameters and buffers, e.g. "bn1.running_mean"
    std::int64_t parameterCount() const;         // trainable parameters only
    // Copies of every parameter and buffer (CPU, contiguous), named as stateNames().
    std::vector<TensorRecord> state() const;

    // Logits for uint8 images [n, C, H, W] (normalised inside), in batches, in eval mode.
    std::vector<float> logits(const std::uint8_t* images, std::int64_t n, int batchSize = 256) const;
    // The same for float images [n, C, H, W] with pixels in [0, 1] (what the exports and the
    // serving API take): normalised inside, one forward pass of all n.
    std::vector<float> logitsFromUnit(const float* images, std::int64_t n) const;

    ModelImpl& impl() { return *d; }
    const ModelImpl& impl() const { return *d; }

private:
    explicit Model(std::unique_ptr<ModelImpl> impl);
    std::unique_ptr<ModelImpl> d;
};

} // namespace nc
