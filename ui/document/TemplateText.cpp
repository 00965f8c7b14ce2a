#include "document/TemplateText.h"

#include <QCoreApplication>

namespace nc::ui {

namespace {
// The built-in templates' descriptions (resources/templates/*.ncproj), listed here so that lupdate collects them;
// tst_translation checks that every template's description has a translation.
[[maybe_unused]] constexpr const char* kTemplateDescriptions[] = {
    QT_TRANSLATE_NOOP("Templates", "The TensorFlow/Keras tutorial CNN: three 3×3 convolutions, two max-pools, a "
                                   "64-unit dense layer (93,322 parameters on 28×28×1)"),
    QT_TRANSLATE_NOOP("Templates", "LeCun's LeNet-5 (1998): two 5×5 convolutions with average pooling and tanh, "
                                   "then 120-84-10 dense layers"),
    QT_TRANSLATE_NOOP("Templates", "A multilayer perceptron: 256 and 128 ReLU units with dropout; the baseline "
                                   "every CNN should beat"),
    QT_TRANSLATE_NOOP("Templates", "A small ResNet: a 3×3 stem and three residual blocks (16, 32, 64 channels) "
                                   "joined with Add, global average pooling and a dense classifier"),
    QT_TRANSLATE_NOOP("Templates", "A small VGG: two blocks of two 3×3 convolutions with batch norm, max-pool and "
                                   "dropout, then a 256-unit dense layer"),
    QT_TRANSLATE_NOOP("Templates", "A recurrent classifier: the image read row by row (28 steps of 28 pixels) by "
                                   "a 128-unit LSTM, then a linear layer"),
    QT_TRANSLATE_NOOP("Templates", "A convolutional variational autoencoder: two strided convolutions encode the image "
                                   "into a 16-dimensional latent (μ, log σ²), two transposed convolutions decode it; "
                                   "trained on the ELBO (reconstruction + KL)"),
    QT_TRANSLATE_NOOP("Templates", "A DCGAN (the LibTorch C++ example's networks): a generator of transposed "
                                   "convolutions from 100 random numbers to a 28×28 image (1→4→7→14→28) and a "
                                   "convolutional discriminator that sees real and generated images; two phases, "
                                   "Adam 2e-4, β1 0.5"),
};
} // namespace

QString describeTemplate(const std::string& englishDescription) {
    return QCoreApplication::translate("Templates", englishDescription.c_str());
}

} // namespace nc::ui
