#pragma once
#include "train/TrainConfig.h"

#include <QWidget>

#include <functional>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLineEdit;
class QSpinBox;
class QUndoStack;

namespace nc::ui {

class AugmentPreview;
class GraphModel;

// The project's training settings (DESIGN §6) as a form. It mirrors GraphModel::project().training
// and turns every edit into a SetTrainingCommand on the undo stack, so edits mark the document
// modified and can be undone.
class TrainSettingsForm final : public QWidget {
    Q_OBJECT
  public:
    TrainSettingsForm(GraphModel* model, QUndoStack* stack, QWidget* parent = nullptr);

    void refresh(); // re-reads the model (also done on its signals)
    // The grid of augmented samples; whoever has the dataset gives it the images.
    AugmentPreview* augmentPreview() const { return m_preview; }

  private:
    // Applies `change` to a copy of the settings and pushes it when something changed.
    void edit(const QString& field, const QString& label,
              const std::function<void(nc::TrainConfig&)>& change);
    void updateEnabled();

    GraphModel* m_model;
    QUndoStack* m_stack;
    bool m_refreshing = false;

    QComboBox* m_optimizer;
    QLineEdit* m_learningRate;
    QDoubleSpinBox* m_momentum;
    QDoubleSpinBox* m_weightDecay;
    QDoubleSpinBox* m_beta1;
    QDoubleSpinBox* m_beta2;
    QComboBox* m_schedule;
    QSpinBox* m_stepSize;
    QDoubleSpinBox* m_gamma;
    QSpinBox* m_batchSize;
    QSpinBox* m_epochs;
    QCheckBox* m_flip;
    QCheckBox* m_verticalFlip;
    QSpinBox* m_padCrop;
    QDoubleSpinBox* m_rotation;
    QDoubleSpinBox* m_widthShift;
    QDoubleSpinBox* m_heightShift;
    QDoubleSpinBox* m_zoom;
    QDoubleSpinBox* m_brightness;
    QDoubleSpinBox* m_contrast;
    QDoubleSpinBox* m_erase;
    QSpinBox* m_cleanEpochs;
    AugmentPreview* m_preview;
    QDoubleSpinBox* m_labelSmoothing;
    QDoubleSpinBox* m_gradClip;
    QComboBox* m_precision;
    QComboBox* m_device;
    QSpinBox* m_threads;
    QSpinBox* m_seed;
    QDoubleSpinBox* m_validation;
    QSpinBox* m_patience;
    QLineEdit* m_teacher;
    QDoubleSpinBox* m_temperature;
    QDoubleSpinBox* m_alpha;
};

} // namespace nc::ui
