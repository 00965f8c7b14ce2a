// A writer for the crash-safety test (tests/core/tst_crashsafety.cpp): saves a project and a
// model into DIR over and over, each time with a new iteration number, and prints
// "project N" / "model N" after each save has returned. The test SIGKILLs it at random moments
// and then checks that every file on disk still loads, as the last reported or the next version.
//
//   nc_save_loop DIR FROM          iterations FROM, FROM+1, ... until killed
//   nc_save_loop DIR FROM --once   save both once as iteration FROM; exit 1 with the error on failure
#include "graph/Project.h"
#include "nn/Model.h"

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>

int main(int argc, char** argv) {
    if (argc != 3 && !(argc == 4 && std::string(argv[3]) == "--once")) {
        std::fprintf(stderr, "usage: nc_save_loop DIR FROM [--once]\n");
        return 2;
    }
    const std::string dir = argv[1];
    const bool once = argc == 4;
    try {
        // The mlp template on 3×32×32 inputs: about 3 MB of weights, so a kill often lands mid-write.
        nc::Project project = nc::makeFromTemplate("mlp");
        nc::fitClassifierToClasses(project.graph, 3);
        nc::Model model = nc::Model::compile(project.graph, {3, 32, 32, {"circle", "square", "triangle"}}, 1);
        for (long i = std::atol(argv[2]);; ++i) {
            project.name = "iteration " + std::to_string(i);
            nc::saveProject(project, dir + "/p.ncproj");
            std::printf("project %ld\n", i);
            std::fflush(stdout);
            model.metadata()["iteration"] = i;
            model.save(dir + "/m.ncmodel");
            std::printf("model %ld\n", i);
            std::fflush(stdout);
            if (once)
                return 0;
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "nc_save_loop: %s\n", e.what());
        return 1;
    }
}
