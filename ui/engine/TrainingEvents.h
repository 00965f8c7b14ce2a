#pragma once
// Plain values that cross between the GUI and the engine thread for a training run.
#include "graph/Graph.h"
#include "train/TrainConfig.h"
#include "train/Trainer.h"

#include <QList>
#include <QMetaType>

#include <string>

namespace nc::ui {

// What to train: a snapshot of the graph and settings, so later edits cannot reach the run.
struct TrainingRequest {
    nc::Graph graph;
    std::string datasetSpec;
    nc::TrainConfig config;
    std::string runDir;           // metrics.jsonl, best.ncmodel and last.ncckpt go here
    std::string resumeCheckpoint; // a last.ncckpt to continue from, or empty
};

// Sent once the dataset is loaded and the model compiled, before the first batch.
struct TrainingStart {
    std::int64_t trainImages = 0; // the whole training set, before the validation split
    std::int64_t parameters = 0;
    std::string device;
    std::string runDir; // where the run writes best.ncmodel ("" without a run folder)
    nc::PrecisionChoice precision; // "auto" resolved (or the resumed checkpoint's precision)
};

} // namespace nc::ui

Q_DECLARE_METATYPE(nc::BatchEvent)
Q_DECLARE_METATYPE(nc::EpochEvent)
Q_DECLARE_METATYPE(nc::FinishedEvent)
Q_DECLARE_METATYPE(nc::ui::TrainingStart)
Q_DECLARE_METATYPE(nc::PrecisionChoice)
