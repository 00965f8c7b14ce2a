#pragma once
// The engine-thread half of Inspect's latent view: what a LatentRequest asks of a generative
// model, computed on the model (call on the engine thread only).
#include "engine/Inspection.h"

#include <functional>
#include <memory>
#include <string>

namespace nc {
class Model;
struct DatasetPair;
} // namespace nc

namespace nc::ui {

// The image of an Inspect request at the model's input size: raw pixels checked, encoded bytes
// or a file decoded and fitted. Throws nc::Error naming what is wrong.
nc::PreparedImage prepareRequestImage(const InspectRequest& request, const nc::Shape& input);

// Throws nc::Error for a classifier, or a model without a latent to walk through. `dataset` gives
// the test images of a dataset spec (the engine's cache); the map is left out, with mapError
// saying why, when it cannot be made.
std::shared_ptr<LatentResult>
walkLatentSpace(const nc::Model& model, const LatentRequest& request,
                const std::function<std::shared_ptr<const nc::DatasetPair>(const std::string&)>& dataset);

} // namespace nc::ui
