#pragma once
#include "model/GraphModel.h"

#include <QUndoCommand>

namespace nc::ui {

enum { TrainingCommandId = 1101 };

// One undo step for any edit of the project's training settings (the setter-command shape of
// SetParamsCommand): the whole TrainConfig before and after. Consecutive edits of the same
// field merge, so spin-box arrows make one step.
class SetTrainingCommand final : public QUndoCommand {
  public:
    // `field` names what changed (for merging); `text` is the undo history's line.
    SetTrainingCommand(GraphModel* model, const QString& field, const QString& text, nc::TrainConfig before,
                       nc::TrainConfig after)
        : QUndoCommand(text), m_model(model), m_field(field), m_before(std::move(before)),
          m_after(std::move(after)) {}
    void redo() override { m_model->setTraining(m_after); }
    void undo() override { m_model->setTraining(m_before); }
    int id() const override { return TrainingCommandId; }
    bool mergeWith(const QUndoCommand* other) override {
        const auto* o = static_cast<const SetTrainingCommand*>(other);
        if (o->m_field != m_field)
            return false;
        m_after = o->m_after;
        return true;
    }

  private:
    GraphModel* m_model;
    QString m_field;
    nc::TrainConfig m_before, m_after;
};

} // namespace nc::ui
