#pragma once
// Precompiled for core's few torch translation units only (see core/CMakeLists.txt).
#include <torch/nn.h>
#include <torch/types.h>
#include <torch/utils.h>
#include <ATen/Parallel.h>
#include <ATen/autocast_mode.h>
