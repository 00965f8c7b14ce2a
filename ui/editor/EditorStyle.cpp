#include "editor/EditorStyle.h"

#include <QHash>

namespace nc::ui {

QColor categoryColor(const QString& category) {
    // Hues chosen to stay distinguishable for the common colour-vision deficiencies.
    static const QHash<QString, QColor> colors = {
        {"Input/Output", QColor(0x60, 0x7d, 0x8b)}, {"Convolution", QColor(0x1e, 0x88, 0xe5)},
        {"Pooling", QColor(0x00, 0x96, 0x88)},      {"Normalization", QColor(0x8e, 0x44, 0xad)},
        {"Regularization", QColor(0x79, 0x55, 0x48)}, {"Activation", QColor(0xf3, 0x9c, 0x12)},
        {"Reshape", QColor(0x7f, 0x8c, 0x8d)},      {"Dense", QColor(0x43, 0xa0, 0x47)},
        {"Merge", QColor(0xd8, 0x1b, 0x60)},        {"Recurrent", QColor(0x39, 0x49, 0xab)},
        {"Loss", QColor(0xc6, 0x28, 0x28)},
    };
    return colors.value(category, QColor(0x90, 0x90, 0x90));
}

QString layerAbbreviation(const QString& type) {
    static const QHash<QString, QString> abbrev = {
        {"Input", "In"},     {"Output", "Out"},   {"Conv2d", "Cv"},   {"MaxPool2d", "MP"},
        {"AvgPool2d", "AP"}, {"GlobalAvgPool2d", "GAP"}, {"BatchNorm2d", "BN"}, {"BatchNorm1d", "BN"},
        {"Dropout", "Dr"},   {"Dropout2d", "Dr"}, {"Flatten", "Fl"},  {"Linear", "FC"},
        {"Add", "+"},        {"Concat", "∥"},     {"ReLU", "R"},      {"LeakyReLU", "LR"},
        {"ELU", "E"},        {"GELU", "G"},       {"SiLU", "S"},      {"Sigmoid", "σ"},
        {"Tanh", "th"},      {"Softmax", "sm"},   {"RowsToSequence", "≡"}, {"LSTM", "LS"},
        {"GRU", "GR"},       {"ConvTranspose2d", "Ct"}, {"Upsample", "Up"}, {"Unflatten", "Uf"},
        {"Reparameterize", "z~"}, {"Detach", "⊘"}, {"KLDivergence", "KL"}, {"ReconstructionLoss", "Lr"},
    };
    return abbrev.value(type, type.left(2));
}

} // namespace nc::ui
