using GanAudio.App.Audio;

namespace GanApp.Tests.Audio;

public class G711Tests
{
    [Theory]
    [InlineData(0x00, -32124)]
    [InlineData(0x80, 32124)]
    [InlineData(0xFF, 0)]
    [InlineData(0x7F, 0)]
    [InlineData(0xF0, 120)]
    [InlineData(0x70, -120)]
    public void MuLawTableValues(int code, int linear) => Assert.Equal(linear, G711.MuLawToLinear16((byte)code));

    [Theory]
    [InlineData(0xD5, 8)]
    [InlineData(0x55, -8)]
    [InlineData(0xAA, 32256)]
    [InlineData(0x2A, -32256)]
    [InlineData(0xC5, 264)]
    public void ALawTableValues(int code, int linear) => Assert.Equal(linear, G711.ALawToLinear16((byte)code));

    [Fact]
    public void EncodeInvertsDecodeForEveryCode()
    {
        for (int c = 0; c < 256; c++)
        {
            int mu = G711.MuLawToLinear16((byte)c);
            Assert.Equal(mu, G711.MuLawToLinear16(G711.Linear16ToMuLaw(mu)));
            int a = G711.ALawToLinear16((byte)c);
            Assert.Equal((byte)c, G711.Linear16ToALaw(a));
        }
    }
}
